import { describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Redactor } from '../../src/secrets/redactor.js';
import { RedactingSpanExporter } from '../../src/telemetry/redacting-span-exporter.js';
import { formatSpan } from '../../src/telemetry/stderr-span-exporter.js';

describe('RedactingSpanExporter', () => {
  it('removes secret values from span attributes, events and status before export', async () => {
    const inner = new InMemorySpanExporter();
    const redactor = new Redactor();
    redactor.add('tok-very-secret');
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new RedactingSpanExporter(inner, redactor))],
    });
    const span = provider
      .getTracer('t')
      .startSpan('write', { attributes: { 'http.url': 'https://x?token=tok-very-secret' } });
    span.addEvent('retry', { reason: 'tok-very-secret rejected' });
    span.setStatus({ code: 2, message: 'auth tok-very-secret' });
    span.end();
    await provider.forceFlush();
    const [exported] = inner.getFinishedSpans();
    expect(exported).toBeDefined();
    const text = formatSpan(exported!) + JSON.stringify(exported!.events);
    expect(text).not.toContain('tok-very-secret');
    expect(exported!.attributes['http.url']).toBe('https://x?token=***');
    expect(exported!.spanContext().traceId).toBe(span.spanContext().traceId);
    await provider.shutdown();
    trace.disable();
  });
});
