import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EgressResult, EMPTY_CHECKSUM } from '@floe/core';
import { captureSpans, type MemorySpans } from '@floe/test-harness';
import { SinkWriteError, registerSecret } from '../../../src/errors/index.js';
import { TRACER_NAME, egressSpan, recordEgressResult } from '../../../src/engine/tracing/index.js';
import { egressSpanSync } from '../../../src/engine/tracing/egress-span.js';

const receipt = (init: Partial<ConstructorParameters<typeof EgressResult>[0]>): EgressResult =>
  new EgressResult({
    success: true,
    rowsDelivered: 3,
    bytesTransmitted: 10,
    durationSeconds: 0.1,
    checksum: EMPTY_CHECKSUM,
    deliveryTimestamp: new Date(),
    idempotencyKey: 'k',
    ...init,
  });

describe('egressSpan', () => {
  let spans: MemorySpans;
  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(() => spans.reset());

  it('records duration and status ok, or the receipt it is given', async () => {
    expect(TRACER_NAME).toBe('floe.ingestion.dlt');
    await egressSpan('sink.create', { 'sink.type': 'rest_api' }, () => 1);
    await egressSpan('sink.write', {}, (span) => recordEgressResult(span, receipt({})));
    await egressSpan('sink.write', {}, (span) =>
      recordEgressResult(
        span,
        receipt({ success: false, errors: [{ message: 'bad', category: 'PERMANENT', row: 1 }] }),
      ),
    );
    await egressSpan('sink.write', {}, (span) =>
      recordEgressResult(
        span,
        receipt({ success: false, errors: [{ message: 'down', category: 'TRANSIENT', httpStatus: 503 }] }),
      ),
    );
    const [create, ok, partial, failed] = spans.spans();
    expect(create?.attributes).toMatchObject({ 'sink.type': 'rest_api', 'sink.status': 'ok' });
    expect(typeof create?.attributes['sink.duration_ms']).toBe('number');
    expect(ok?.attributes).toMatchObject({ 'sink.status': 'delivered', 'sink.rows_written': 3 });
    expect(ok?.status.code).toBe(1);
    expect(partial?.attributes).toMatchObject({
      'sink.status': 'partial',
      'sink.rows_rejected': 1,
      'error.type': 'partial_delivery',
    });
    expect(failed?.attributes).toMatchObject({
      'sink.status': 'failed',
      'error.category': 'TRANSIENT',
      'http.response.status_code': 503,
    });
    expect(failed?.status).toMatchObject({ code: 2, message: 'down' });
  });

  it('records a thrown error, sanitised, and re-throws it', async () => {
    const forget = registerSecret('sekret-value-1');
    const error = new SinkWriteError('denied for sekret-value-1', {
      httpStatus: 401,
      category: 'PERMANENT',
      attempts: 1,
    });
    await expect(egressSpan('sink.write', {}, () => Promise.reject(error))).rejects.toBe(error);
    expect(() =>
      egressSpanSync('sink.list', {}, () => {
        throw new Error('sync boom');
      }),
    ).toThrow('sync boom');
    expect(egressSpanSync('sink.list', {}, () => 7)).toBe(7);
    forget();
    const [write, sync] = spans.spans();
    expect(write?.attributes).toMatchObject({
      'sink.status': 'error',
      'error.type': 'SINK_WRITE',
      'error.category': 'PERMANENT',
      'http.response.status_code': 401,
      'sink.attempts': 1,
    });
    expect(write?.events[0]?.attributes?.['exception.message']).toBe(
      'denied for [redacted] [http_status=401, attempts=1]',
    );
    expect(JSON.stringify(write?.status)).not.toContain('sekret-value-1');
    expect(sync?.attributes).toMatchObject({ 'sink.status': 'error', 'error.type': 'Error' });
  });
});
