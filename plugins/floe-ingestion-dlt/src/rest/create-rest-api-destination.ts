import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { availableParallelism } from 'node:os';
import got, { type Got } from 'got';
import type { RecordBatch } from 'apache-arrow';
import type { SinkConfig } from '@floe/core';
import { destination, type Destination } from '../destination/destination.js';
import type { BatchContext, BatchOutcome } from '../destination/types.js';
import { JsonEncodeThreads } from '../encoding/json-encode-threads.js';
import { encodeJsonRowsBody, jsonRowsRange, type JsonRowsBody } from '../encoding/json-rows-body.js';
import { isSinkWriteError } from '../errors/sink-write-error.js';
import { registerSecret, sanitizeErrorMessage } from '../errors/sanitize-error-message.js';
import { systemClock, type Clock } from '../internal/clock.js';
import { PACKAGE_VERSION } from '../internal/package-version.js';
import { TokenBucket } from '../internal/token-bucket.js';
import { createRetryPolicy } from '../retry/create-retry-policy.js';
import { authHeaders, endpointUrl, secretValues } from './rest-auth.js';
import { parseSinkConnection } from '../internal/parse-sink-connection.js';
import { restApiConnectionSchema, type RestApiConnection } from './rest-config-schema.js';
import { readResponse } from './rest-response.js';
import { sendBody, type RestTarget } from './rest-request.js';
import { deliverSplitting, type RangeSender } from './split-on-reject.js';
import { ATTR_SINK_BATCH_ENCODED_ON, ATTR_SINK_BATCH_FIRST_ROW, ATTR_SINK_BATCH_ROWS } from '../tracing/attributes.js';

/** Injected collaborators of a rest_api destination. */
export interface RestApiDeps {
  /** The HTTP client (default: got with a keep-alive agent). Retries and HTTP errors are handled here, not by got. */
  readonly client?: Got;
  /** Time source for rate limiting. */
  readonly clock?: Clock;
}

/** Statuses that, for `body: record`, reject that one record instead of failing the load. */
const RECORD_REJECTIONS = new Set([400, 409, 422]);

/** Batches smaller than this are encoded where they are sent: the trip to a thread would cost more. */
const THREAD_MIN_ROWS = 64;

/**
 * Builds the `rest_api` destination for a sink config: JSON bodies encoded column-wise from Arrow (with
 * `encode_threads`, on worker threads, ahead of their turn, while earlier batches are being sent), one request per batch (`array` / `wrapped`; a batch the API refuses with 400 / 422 is bisected to isolate
 * the refused rows unless `split_on_reject: false`, see `deliverSplitting`) or per record (`record`), an
 * idempotency-key header per request, token-bucket rate limiting, `max_concurrency` requests in flight, retries of transient failures
 * (honouring `Retry-After`) behind a circuit breaker, per-record errors and record ids from the response.
 * `config.connectionConfig` is validated (throws `SinkConfigurationError` with paths); no I/O happens here.
 *
 * @example
 * ```ts
 * const crm = createRestApiDestination(new SinkConfig({
 *   sinkType: 'rest_api', name: 'crm-contacts', batchSize: 100,
 *   connectionConfig: { url: 'https://api.example.com/v1/contacts', record_id_path: 'id', token },
 * }));
 * const receipt = await loadToDestination(crm, table);
 * ```
 */
export function createRestApiDestination(config: SinkConfig, deps: RestApiDeps = {}): Destination {
  const connection: RestApiConnection = parseSinkConnection(restApiConnectionSchema, config);
  const url = endpointUrl(connection);
  const secrets = secretValues(connection);
  const forget = secrets.map((secret) => registerSecret(secret));
  const agents = deps.client
    ? undefined
    : { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const client = (deps.client ?? got).extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    ...(agents && { agent: agents }),
  });
  const retry = connection.retry ?? {};
  const target: RestTarget = {
    client,
    url,
    method: connection.method,
    headers: {
      'user-agent': `floe-ingestion-dlt/${PACKAGE_VERSION}`,
      accept: 'application/json',
      ...lowerKeys(connection.headers ?? {}),
      'content-type': 'application/json',
      ...authHeaders(connection),
    },
    idempotencyHeader: connection.idempotency_header.toLowerCase(),
    timeoutMs: connection.timeout_ms,
    policy: createRetryPolicy(
      {
        ...config.retryConfig,
        ...(retry.max_attempts !== undefined && { maxAttempts: retry.max_attempts }),
        ...(retry.initial_delay_ms !== undefined && { initialDelayMs: retry.initial_delay_ms }),
        ...(retry.max_delay_ms !== undefined && { maxDelayMs: retry.max_delay_ms }),
      },
      {
        context: { sinkType: 'rest_api', destination: config.name },
        circuitBreaker: {
          ...(connection.circuit_breaker?.threshold !== undefined && {
            threshold: connection.circuit_breaker.threshold,
          }),
          ...(connection.circuit_breaker?.half_open_after_ms !== undefined && {
            halfOpenAfterMs: connection.circuit_breaker.half_open_after_ms,
          }),
        },
      },
    ),
    limiter:
      connection.requests_per_second === undefined
        ? undefined
        : new TokenBucket(connection.requests_per_second, deps.clock ?? systemClock),
    sinkType: 'rest_api',
    destination: config.name,
    secrets,
  };
  const encoding = { int64: connection.int64, decimal: connection.decimal };
  const wrapKey = connection.body === 'wrapped' ? (connection.wrap_key ?? 'data') : undefined;
  const recordMode = connection.body === 'record';
  const framing = recordMode
    ? { open: '', close: '' }
    : wrapKey === undefined
      ? {}
      : { open: `{${JSON.stringify(wrapKey)}:[`, close: ']}' };

  const splitOnReject = !recordMode && connection.split_on_reject !== false;
  /** Whether the API accepted a request of the current load (reset by `open`). */
  let loadAccepted = false;

  const encodeThreads = connection.encode_threads ?? defaultEncodeThreads();
  /** Encoding threads of the current load (started by the first batch big enough to need them). */
  let threads: JsonEncodeThreads | undefined;

  /** Starts encoding `batch` on a thread, if threads are on and the batch is big enough to gain from it. */
  function encodeAhead(batch: RecordBatch): Promise<JsonRowsBody> | undefined {
    if (recordMode || encodeThreads === 0 || batch.numRows < THREAD_MIN_ROWS) return undefined;
    if (!JsonEncodeThreads.available) return undefined;
    threads ??= new JsonEncodeThreads(encodeThreads, encoding, framing);
    // Until a worker has loaded, batches are encoded where they are sent rather than queued behind its start.
    threads.start();
    if (!threads.ready) return undefined;
    const encoded = threads.encode(batch);
    encoded.catch(() => undefined); // a batch the load drops before sending: nobody awaits it
    return encoded;
  }

  /** The batch's body: the thread's, or encoded here when there is none or the thread failed. */
  async function encodedBody(batch: RecordBatch, context: BatchContext): Promise<JsonRowsBody> {
    if (context.prepared instanceof Promise) {
      try {
        const encoded = (await context.prepared) as JsonRowsBody;
        context.span.setAttribute(ATTR_SINK_BATCH_ENCODED_ON, 'worker');
        return encoded;
      } catch {
        // Encoding here gives the same bytes, or the encoder's own error for this batch.
      }
    }
    context.span.setAttribute(ATTR_SINK_BATCH_ENCODED_ON, 'caller');
    return encodeJsonRowsBody(batch, encoding, framing);
  }

  async function deliver(batch: RecordBatch, _table: unknown, context: BatchContext): Promise<BatchOutcome> {
    const encoded = await encodedBody(batch, context);
    const count = encoded.ends.length;
    const send: RangeSender = async (start, end, key) => {
      const body = jsonRowsRange(encoded, start, end);
      const answer = await sendBody(target, body, context, key);
      loadAccepted = true;
      const outcome = readResponse({
        status: answer.status,
        body: answer.body,
        recordCount: end - start,
        recordIdPath: connection.record_id_path,
        wrapKey,
      });
      context.addPayload(body);
      return outcome;
    };
    if (!recordMode) {
      return deliverSplitting(count, context.idempotencyKey, send, {
        split: splitOnReject,
        loadAccepted: () => loadAccepted,
        onSplit: (start, end) =>
          context.span.addEvent('split', {
            [ATTR_SINK_BATCH_FIRST_ROW]: context.firstRow + start,
            [ATTR_SINK_BATCH_ROWS]: end - start,
          }),
      });
    }
    try {
      return await send(0, count, context.idempotencyKey);
    } catch (error) {
      if (isSinkWriteError(error) && error.httpStatus !== undefined && RECORD_REJECTIONS.has(error.httpStatus)) {
        context.addPayload(encoded.body);
        return {
          rejected: [
            {
              index: 0,
              message: sanitizeErrorMessage(error.message),
              category: error.category,
              httpStatus: error.httpStatus,
            },
          ],
        };
      }
      throw error;
    }
  }

  return destination(deliver, {
    name: config.name,
    sinkType: 'rest_api',
    identity: `rest_api:${connection.method} ${sanitizeErrorMessage(url, secrets)}`,
    tableName: config.name,
    batchSize: recordMode ? 1 : (config.batchSize ?? 0),
    namingConvention: connection.naming_convention,
    maxParallelLoadJobs: connection.max_concurrency,
    loaderFileFormat: 'arrow',
    hooks: {
      async open() {
        loadAccepted = false;
      },
      prepare: encodeAhead,
      async close() {
        await threads?.close();
        threads = undefined;
        agents?.http.destroy();
        agents?.https.destroy();
        for (const done of forget) done();
      },
    },
  });
}

/**
 * One encoding thread where the machine has cores to spare, none on 2 cores or fewer: there the sending thread
 * and the thread would compete for the same cores, and `pnpm bench` measured the sink slower with it.
 */
function defaultEncodeThreads(): number {
  return availableParallelism() > 2 ? 1 : 0;
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
