import { describe, expect, it } from '@jest/globals';
import { isFloeError } from '@floe/core';
import {
  IngestionError,
  SinkConfigurationError,
  SinkConnectionError,
  SinkWriteError,
  isIngestionError,
  isSinkConfigurationError,
  isSinkConnectionError,
  isSinkWriteError,
  safeCause,
} from '../../src/errors/index.js';

describe('IngestionError family', () => {
  it('carries category, context suffix and brands that survive copies', () => {
    const error = new SinkWriteError('HTTP 503 Service Unavailable', {
      httpStatus: 503,
      attempts: 5,
      retryAfterMs: 2000,
      sinkType: 'rest_api',
      destination: 'crm',
      cause: new Error('inner'),
    });
    expect(error.message).toBe(
      'HTTP 503 Service Unavailable [sink_type=rest_api, destination=crm, http_status=503, attempts=5]',
    );
    expect(error.category).toBe('TRANSIENT');
    expect(error.code).toBe('SINK_WRITE');
    expect(error.name).toBe('SinkWriteError');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.context).toEqual({ sinkType: 'rest_api', destination: 'crm', httpStatus: 503, attempts: 5 });
    expect((error.cause as Error).message).toBe('inner');
    expect(isSinkWriteError(error) && isIngestionError(error) && isFloeError(error)).toBe(true);
    expect(isSinkConnectionError(error) || isSinkConfigurationError(error)).toBe(false);
    // A structural copy from "another copy of the package" keeps the brand symbol.
    const foreign = Object.create(null) as Record<symbol, unknown>;
    foreign[Symbol.for('floe.ingestion.sink-write-error')] = true;
    expect(isSinkWriteError(foreign)).toBe(true);
    expect(isSinkWriteError(null)).toBe(false);
  });

  it('defaults categories per class and lets a caller override them', () => {
    expect(new SinkConnectionError('refused').category).toBe('TRANSIENT');
    expect(new SinkWriteError('refused', { category: 'PERMANENT', httpStatus: 403 }).category).toBe('PERMANENT');
    expect(new SinkWriteError('x', { category: undefined }).category).toBe('TRANSIENT');
    expect(new IngestionError('x').category).toBe('PERMANENT');
    expect(new IngestionError('plain').message).toBe('plain');
    expect(isSinkConnectionError(new SinkConnectionError('x'))).toBe(true);
  });

  it('lists configuration issues as path: message and sanitises the message', () => {
    const error = new SinkConfigurationError('invalid config for postgres://app:pw@db/x', {
      issues: [
        { path: 'config.url', message: 'required' },
        { path: '', message: 'one auth method' },
      ],
      destination: 'dw',
    });
    expect(error.message).toBe(
      'invalid config for postgres://[redacted]@db/x: config.url: required; one auth method [destination=dw]',
    );
    expect(error.category).toBe('CONFIGURATION');
    expect(error.issues).toHaveLength(2);
    expect(isSinkConfigurationError(error)).toBe(true);
  });

  it('makes safe causes without request options or secrets', () => {
    const raw = Object.assign(new Error('connect failed for https://u:secret@h'), {
      code: 'ECONNRESET',
      options: { headers: { authorization: 'Bearer abc' } },
    });
    const safe = safeCause(raw);
    expect(safe.message).toBe('connect failed for https://[redacted]@h');
    expect((safe as unknown as { code: string }).code).toBe('ECONNRESET');
    expect('options' in safe).toBe(false);
    expect(safeCause('text').message).toBe('text');
  });
});
