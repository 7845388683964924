import { createHash } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCategory, SYNC_COLUMNS, type SyncOp, type SyncWrite } from '@floe/core';
import { syncColumnValues, syncOpsOf, withoutSyncColumns } from '../../engine/destination/sync-batch.js';
import type { BatchContext, BatchOutcome, RejectedRecord } from '../../engine/destination/types.js';
import type { JsonEncodingOptions } from '../../engine/encoding/encoding-options.js';
import { writeJsonRows, type JsonRowsBody } from '../../engine/encoding/json-rows-body.js';
import { categorizeError } from '../../errors/categorize-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { SinkConfigurationError } from '../../errors/sink-configuration-error.js';
import { isSinkWriteError } from '../../errors/sink-write-error.js';
import { deliverRestBody, type RestDelivery } from './deliver-rest-body.js';
import type { RestOperationName } from './rest-config-schema.js';
import { joinUrl, operationOf, templateIssues, type RestOperation } from './rest-operations.js';
import { fillPath, DESTINATION_ID_TEMPLATE } from './rest-path-template.js';
import { sendBody } from './rest-request.js';
import { readResponse } from './rest-response.js';
import { rangeKey } from './split-on-reject.js';
import { SyncRowTexts } from './sync-row-texts.js';

/** Statuses that, for a request of one record, reject that record instead of failing the batch. */
const RECORD_REJECTIONS = new Set([400, 409, 422]);

/** Row ops whose record may be gone from the destination: a 404 for it is a skip, not a failure. */
const MAY_BE_GONE: ReadonlySet<SyncOp> = new Set(['update', 'delete']);

/** What {@link deliverRestSync} needs besides the batch: the operations and how the load sends. */
export interface RestSyncDelivery {
  readonly operations: ReadonlyMap<RestOperationName, RestOperation>;
  readonly recordIdPath: string | undefined;
  /** `split_on_reject` for batched operations. */
  readonly splitOnReject: boolean;
  readonly maxBodyBytes?: number;
  readonly encoding: JsonEncodingOptions;
  /** Shared with the destination's {@link RestDelivery.load}. */
  readonly load: { accepted: boolean };
}

/** What one batch's operations did, by row position in the batch. */
interface SyncTally {
  readonly rejected: RejectedRecord[];
  readonly skipped: number[];
  readonly destinationIds: Map<number, string>;
  readonly recordIds: string[];
  delivered: number;
  /** The failure after which the rest of the batch is not sent. */
  failure?: unknown;
}

/** The idempotency key of an operation's part of a batch: derived from the batch key (run key + batch) and the op. */
export function operationKey(batchKey: string, operation: RestOperationName): string {
  return createHash('sha256').update(`${batchKey}\u0000op:${operation}`).digest('hex');
}

/**
 * Applies a batch of change rows (`WriteOptions.sync`): each row goes to the operation its `_floe_op` names
 * (see `operationOf`), the batch split per operation in the order the operations first appear, row order kept
 * within each. An operation whose path has templates (or `body: record`) sends one request per row, the URL
 * filled from the row (`{id}`: `_floe_dest_id`); the others send the rows in bodies as the sink does (split on
 * refusal, `max_body_bytes`), a `delete` batch as the rows' keys. Bookkeeping columns are never sent. A 404 to
 * an update or delete of one record by its URL is a skip (`BatchOutcome.skipped`); record ids the API returns
 * become the rows' destination ids (`BatchOutcome.destinationIds`). A failure after part of the batch was
 * delivered rejects the rest with its category; before, it fails the batch (resent with the same keys).
 */
export async function deliverRestSync(
  delivery: RestSyncDelivery,
  batch: RecordBatch,
  encoded: JsonRowsBody,
  context: BatchContext,
  sync: SyncWrite,
): Promise<BatchOutcome> {
  const data = withoutSyncColumns(batch);
  const ops = syncOpsOf(batch);
  const routes = ops.map((op) => operationOf(op, sync.onDelete, delivery.operations));
  const missing = routes.findIndex((route) => route === undefined);
  if (missing >= 0) {
    const name = sync.onDelete === 'archive' ? 'archive' : 'delete';
    throw new SinkConfigurationError(`change row ${context.firstRow + missing} deletes a record`, {
      issues: [
        {
          path: `config.${name}`,
          message: `is not given: add the ${name} operation, e.g. ${name}: { method: ${name === 'delete' ? 'DELETE' : 'PATCH'}, path: /contacts/{id} }`,
        },
      ],
    });
  }
  const fields = data.schema.fields.map((field) => field.name);
  const missingKey = sync.primaryKey.filter((key) => !fields.includes(key));
  const issues = [
    ...missingKey.map((key) => ({
      path: 'primary_key',
      message: `"${key}" is not a field of the change rows (fields: ${fields.join(', ')})`,
    })),
    ...templateIssues(Object.fromEntries(usedOperations(delivery, routes)), fields, {
      primaryKey: sync.primaryKey,
    }),
  ];
  if (issues.length > 0) throw new SinkConfigurationError('the sync does not fit the rest_api operations', { issues });

  const texts = new SyncRowTexts(data, encoded, delivery.encoding, sync.primaryKey);
  const destinationIdColumn = syncColumnValues(batch, SYNC_COLUMNS.destinationId);
  const tally: SyncTally = { rejected: [], skipped: [], destinationIds: new Map(), recordIds: [], delivered: 0 };
  for (const [name, rows] of groupRows(routes as RestOperationName[])) {
    const operation = delivery.operations.get(name) as RestOperation;
    const key = operationKey(context.idempotencyKey, name);
    if (tally.failure !== undefined) rejectAll(tally, rows, tally.failure);
    else if (operation.perRow) {
      await sendEach(
        delivery,
        operation,
        rows,
        { ops, texts, destinationIds: destinationIdColumn, key },
        context,
        tally,
      );
    } else await sendBatched(delivery, operation, rows, { ops, texts, key }, context, tally);
  }
  tally.rejected.sort((a, b) => a.index - b.index);
  return {
    recordIds: tally.recordIds,
    rejected: tally.rejected,
    skipped: tally.skipped.sort((a, b) => a - b),
    destinationIds: tally.destinationIds,
  };
}

/** The operations the batch's rows go to, as `[name, config-like]` for {@link templateIssues}. */
function usedOperations(
  delivery: RestSyncDelivery,
  routes: readonly (RestOperationName | undefined)[],
): [RestOperationName, { path: string }][] {
  const used = new Set(routes);
  return [...delivery.operations.values()]
    .filter((operation) => used.has(operation.name) && operation.templates.length > 0)
    .map((operation) => [operation.name, { path: operation.path }]);
}

/** Row positions per operation, in the order the operations first appear, row order kept. */
function groupRows(routes: readonly RestOperationName[]): Map<RestOperationName, number[]> {
  const groups = new Map<RestOperationName, number[]>();
  routes.forEach((route, i) => {
    const rows = groups.get(route);
    if (rows === undefined) groups.set(route, [i]);
    else rows.push(i);
  });
  return groups;
}

interface RowSource {
  readonly ops: readonly SyncOp[];
  readonly texts: SyncRowTexts;
  /** The operation's idempotency key. */
  readonly key: string;
}

/** Rows of one operation, one request each, the URL filled from the row. */
async function sendEach(
  delivery: RestSyncDelivery,
  operation: RestOperation,
  rows: readonly number[],
  source: RowSource & { readonly destinationIds: readonly (string | undefined)[] },
  context: BatchContext,
  tally: SyncTally,
): Promise<void> {
  const { ops, texts } = source;
  const noBody = operation.target.method === 'DELETE' && operation.templates.length > 0;
  for (const i of rows) {
    if (tally.failure !== undefined) {
      rejectAll(tally, [i], tally.failure);
      continue;
    }
    let unfilled: string | undefined;
    const path = fillPath(operation.parts, (name) => {
      const value = name === DESTINATION_ID_TEMPLATE ? source.destinationIds[i] : texts.fieldValue(name, i);
      if (value === undefined) unfilled ??= name;
      return value;
    });
    if (path === undefined) {
      tally.rejected.push({
        index: i,
        message: unfilledMessage(operation, unfilled),
        category: ErrorCategory.CONFIGURATION,
      });
      continue;
    }
    const url = operation.templates.length > 0 ? joinUrl(operation.base, path) : operation.target.url;
    const body = noBody ? undefined : Buffer.from(ops[i] === 'delete' ? texts.keyRecord(i) : texts.record(i));
    try {
      const answer = await sendBody({ ...operation.target, url }, body, context, rangeKey(source.key, i, i + 1));
      delivery.load.accepted = true;
      if (body !== undefined) context.addPayload(body);
      const outcome = readResponse({
        status: answer.status,
        body: answer.body,
        recordCount: 1,
        recordIdPath: delivery.recordIdPath,
        wrapKey: operation.format.wrapKey,
      });
      const refused = outcome.rejected[0];
      if (refused !== undefined) {
        tally.rejected.push({ ...refused, index: i });
        continue;
      }
      tally.delivered += 1;
      const id = outcome.recordIds[0];
      if (id !== undefined) {
        tally.destinationIds.set(i, id);
        tally.recordIds.push(id);
      }
    } catch (error) {
      if (!isSinkWriteError(error)) {
        fail(tally, i, error);
        continue;
      }
      // The record the URL names is gone: nothing to update or delete.
      if (error.httpStatus === 404 && operation.templates.length > 0 && MAY_BE_GONE.has(ops[i] as SyncOp)) {
        tally.skipped.push(i);
        continue;
      }
      if (error.category !== 'TRANSIENT' && RECORD_REJECTIONS.has(error.httpStatus ?? 0)) {
        tally.rejected.push({
          index: i,
          message: sanitizeErrorMessage(error.message),
          category: error.category,
          ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
        });
        continue;
      }
      fail(tally, i, error);
    }
  }
}

/** Rows of one operation in bodies, as the sink sends a batch: records, or for delete rows their keys. */
async function sendBatched(
  delivery: RestSyncDelivery,
  operation: RestOperation,
  rows: readonly number[],
  source: RowSource,
  context: BatchContext,
  tally: SyncTally,
): Promise<void> {
  const { ops, texts } = source;
  const items = rows.map((i) => (ops[i] === 'delete' ? texts.keyItem(i) : texts.record(i)));
  const encoded = writeJsonRows(items, operation.format.framing);
  const restDelivery: RestDelivery = {
    target: operation.target,
    format: operation.format,
    recordIdPath: delivery.recordIdPath,
    splitOnReject: delivery.splitOnReject,
    ...(delivery.maxBodyBytes !== undefined && { maxBodyBytes: delivery.maxBodyBytes }),
    load: delivery.load,
  };
  let outcome: BatchOutcome;
  try {
    outcome = await deliverRestBody(restDelivery, encoded, { ...context, idempotencyKey: source.key });
  } catch (error) {
    if (tally.delivered === 0 && tally.skipped.length === 0) throw error;
    rejectAll(tally, rows, error);
    tally.failure = error;
    return;
  }
  const refused = new Set<number>();
  for (const record of outcome.rejected ?? []) {
    const i = rows[record.index] as number;
    refused.add(record.index);
    // A multi-status answer's 404 for an update or delete: the record is gone.
    if (record.httpStatus === 404 && MAY_BE_GONE.has(ops[i] as SyncOp)) tally.skipped.push(i);
    else tally.rejected.push({ ...record, index: i });
  }
  const accepted = rows.filter((_, position) => !refused.has(position));
  tally.delivered += accepted.length;
  const ids = outcome.recordIds ?? [];
  for (const id of ids) tally.recordIds.push(id);
  // Ids are one per accepted row, in row order, when the API returned one for each.
  if (ids.length === accepted.length) accepted.forEach((i, k) => tally.destinationIds.set(i, ids[k] as string));
}

/** A row's request failed for another reason than its record: the batch fails, or (once rows went) the rest is rejected. */
function fail(tally: SyncTally, i: number, error: unknown): void {
  if (tally.delivered === 0 && tally.skipped.length === 0) throw error;
  tally.failure = error;
  rejectAll(tally, [i], error);
}

function rejectAll(tally: SyncTally, rows: readonly number[], error: unknown): void {
  const message = sanitizeErrorMessage(
    `not delivered after an earlier part of the batch was: ${error instanceof Error ? error.message : String(error)}`,
  );
  for (const index of rows) tally.rejected.push({ index, message, category: categorizeError(error) });
}

function unfilledMessage(operation: RestOperation, template: string | undefined): string {
  const path = `${operation.configPath}.path`;
  if (template === DESTINATION_ID_TEMPLATE)
    return `${path}: template {id} has no value: the sync state holds no destination id for this record (set record_id_path so the API's id is kept when a record is created)`;
  return `${path}: template {${String(template)}} has no value: the row's ${String(template)} is null`;
}
