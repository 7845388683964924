import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Redactor } from '../secrets/redactor.js';

/**
 * Wraps an exporter so that no known secret value leaves in a span's name, attributes, events or
 * status message, whatever a plugin put there.
 */
export class RedactingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #redactor: Redactor;

  constructor(inner: SpanExporter, redactor: Redactor) {
    this.#inner = inner;
    this.#redactor = redactor;
  }

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.#inner.export(this.#redactor.size === 0 ? spans : spans.map((span) => this.#redactSpan(span)), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  #redactSpan(span: ReadableSpan): ReadableSpan {
    const r = this.#redactor;
    // A view over the original span with its text fields replaced; methods (spanContext) still work.
    return Object.create(span, {
      name: { value: r.redact(span.name) },
      attributes: { value: r.redactValue({ ...span.attributes }) },
      events: {
        value: span.events.map((event) => ({
          ...event,
          name: r.redact(event.name),
          attributes: event.attributes && r.redactValue({ ...event.attributes }),
        })),
      },
      status: {
        value: { ...span.status, ...(span.status.message !== undefined && { message: r.redact(span.status.message) }) },
      },
    }) as ReadableSpan;
  }
}
