import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TextStream } from '../output/terminal.js';

type ResultCallback = Parameters<SpanExporter['export']>[1];

const SUCCESS = 0 as const; // ExportResultCode.SUCCESS

/** Milliseconds of an `[seconds, nanoseconds]` high-resolution time. */
function millis([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

/** One span as a line: `span floe.egress.destination 12.3ms trace=… span=… parent=… status=OK {"sink.type":"rest_api"}`. */
export function formatSpan(span: ReadableSpan): string {
  const context = span.spanContext();
  const parent = span.parentSpanContext?.spanId ?? '-';
  const duration = millis(span.endTime) - millis(span.startTime);
  const status = ['UNSET', 'OK', 'ERROR'][span.status.code] ?? String(span.status.code);
  const message = span.status.message ? ` (${span.status.message})` : '';
  return `span ${span.name} ${duration.toFixed(1)}ms trace=${context.traceId} span=${context.spanId} parent=${parent} status=${status}${message} ${JSON.stringify(span.attributes)}`;
}

/** `--trace console`: writes each finished span as one line on stderr (stdout stays clean for JSON lines). */
export class StderrSpanExporter implements SpanExporter {
  readonly #stream: TextStream;

  constructor(stream: TextStream) {
    this.#stream = stream;
  }

  export(spans: ReadableSpan[], resultCallback: ResultCallback): void {
    for (const span of spans) this.#stream.write(`${formatSpan(span)}\n`);
    resultCallback({ code: SUCCESS });
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
