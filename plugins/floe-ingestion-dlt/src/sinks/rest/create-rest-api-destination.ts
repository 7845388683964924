import type { Got } from 'got';
import type { RecordBatch } from 'apache-arrow';
import type { SinkConfig } from '@floe/core';
import { destination, type Destination } from '../../engine/destination/destination.js';
import type { BatchContext, BatchOutcome } from '../../engine/destination/types.js';
import { registerSecret, sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { SinkConfigurationError } from '../../errors/sink-configuration-error.js';
import type { Clock } from '../../internal/clock.js';
import { parseSinkConnection } from '../../internal/parse-sink-connection.js';
import { createRestTarget } from './create-rest-target.js';
import { withoutSyncColumns } from '../../engine/destination/sync-batch.js';
import { deliverRestBody, type RestDelivery } from './deliver-rest-body.js';
import { deliverRestSync, type RestSyncDelivery } from './deliver-rest-sync.js';
import { endpointUrl, secretValues } from './rest-auth.js';
import { RestBodyEncoder } from './rest-body-encoder.js';
import { restApiConnectionSchema, type RestApiConnection } from './rest-config-schema.js';
import { createRestHttpClient } from './rest-http-client.js';
import { restOperations, type RestOperation } from './rest-operations.js';

/** Injected collaborators of a rest_api destination. */
export interface RestApiDeps {
  /** The HTTP client (default: got with a keep-alive agent). Retries and HTTP errors are handled here, not by got. */
  readonly client?: Got;
  /** Time source for rate limiting. */
  readonly clock?: Clock;
}

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
  const http = createRestHttpClient(deps.client);
  const target = createRestTarget(config, connection, { client: http.client, url, secrets, clock: deps.clock });
  const operations = restOperations(connection, target);
  // A write without sync sends every row the way the upsert operation does (the top-level endpoint, or `upsert:`).
  const upsert = operations.get('upsert') as RestOperation;
  const format = upsert.format;
  const delivery: RestDelivery = {
    target: upsert.target,
    format,
    recordIdPath: connection.record_id_path,
    splitOnReject: !format.recordMode && connection.split_on_reject !== false,
    ...(connection.max_body_bytes !== undefined && { maxBodyBytes: connection.max_body_bytes }),
    load: { accepted: false },
  };
  const syncDelivery: RestSyncDelivery = {
    operations,
    recordIdPath: connection.record_id_path,
    splitOnReject: connection.split_on_reject !== false,
    ...(connection.max_body_bytes !== undefined && { maxBodyBytes: connection.max_body_bytes }),
    encoding: format.encoding,
    load: delivery.load,
  };
  const encoder = new RestBodyEncoder(format, connection.encode_threads);

  async function deliver(batch: RecordBatch, _table: unknown, context: BatchContext): Promise<BatchOutcome> {
    if (context.sync === undefined) {
      if (upsert.templates.length > 0) throw upsertTemplateError(upsert);
      return deliverRestBody(delivery, await encoder.encodedBody(batch, context), context);
    }
    // A sync: the bookkeeping columns are never encoded nor sent.
    const encoded = await encoder.encodedBody(withoutSyncColumns(batch), context);
    return deliverRestSync(syncDelivery, batch, encoded, context, context.sync);
  }

  return destination(deliver, {
    name: config.name,
    sinkType: 'rest_api',
    identity: `rest_api:${upsert.target.method} ${sanitizeErrorMessage(upsert.target.url, secrets)}`,
    tableName: config.name,
    batchSize: format.recordMode ? 1 : (config.batchSize ?? 0),
    namingConvention: connection.naming_convention,
    maxParallelLoadJobs: connection.max_concurrency,
    loaderFileFormat: 'arrow',
    hooks: {
      async open() {
        delivery.load.accepted = false;
      },
      prepare: (batch, context) => encoder.encodeAhead(context.sync === undefined ? batch : withoutSyncColumns(batch)),
      async close() {
        await encoder.close();
        http.destroy();
        for (const done of forget) done();
      },
    },
  });
}

/** A write without sync has no change rows to fill an upsert path's templates from. */
function upsertTemplateError(upsert: RestOperation): SinkConfigurationError {
  return new SinkConfigurationError('rows written without sync go to the upsert operation', {
    issues: [
      {
        path: 'config.upsert.path',
        message: `has templates (${upsert.templates.map((name) => `{${name}}`).join(', ')}), filled only by a sync: set sync.mode (e.g. upsert) with primary_key, or give upsert a path without templates`,
      },
    ],
  });
}
