import { ErrorCategory } from '@floe/core';
import { categorizeHttpStatus } from '../../errors/categorize-error.js';
import { SinkWriteError } from '../../errors/sink-write-error.js';
import type { RejectedRecord } from '../../engine/destination/types.js';

/** What a response says about the records of one request. */
export interface ResponseOutcome {
  readonly recordIds: string[];
  readonly rejected: RejectedRecord[];
}

/** How to read a response. */
export interface ResponseReading {
  readonly status: number;
  readonly body: string;
  /** Records in the request. */
  readonly recordCount: number;
  readonly recordIdPath?: string | undefined;
  readonly wrapKey?: string | undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`data.id`), or `undefined`. */
export function valueAtPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (!isObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The per-record list of a response: an array, or the array under `<wrap_key>`, `data`, `results`, `items`, `records`. */
function recordList(json: unknown, wrapKey: string | undefined): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  if (!isObject(json)) return undefined;
  for (const key of [wrapKey, 'data', 'results', 'items', 'records']) {
    if (key !== undefined && Array.isArray(json[key])) return json[key] as unknown[];
  }
  return undefined;
}

function messageOf(entry: Record<string, Json>): string {
  for (const key of ['message', 'error', 'detail', 'reason', 'title']) {
    const value = entry[key];
    if (typeof value === 'string') return value;
    if (isObject(value) && typeof value.message === 'string') return value.message;
  }
  return JSON.stringify(entry).slice(0, 300);
}

function rejection(index: number, entry: Record<string, Json>, status: number | undefined): RejectedRecord {
  const key = entry.id ?? entry.key;
  return {
    index,
    message: messageOf(entry),
    category: (status !== undefined ? categorizeHttpStatus(status) : undefined) ?? ErrorCategory.PERMANENT,
    ...(status !== undefined && { httpStatus: status }),
    ...((typeof key === 'string' || typeof key === 'number') && { key: String(key) }),
  };
}

/**
 * Reads record ids and per-record errors from a 2xx response. Accepted shapes (JSON only; other bodies
 * mean "all accepted, no ids"):
 * - an `errors` array whose entries name the record by `index` (also `record_index`, `row`), with a
 *   `message`/`error`/`detail`, an optional `status` and `id`/`key`: `{"errors":[{"index":3,"message":"bad email"}]}`;
 * - HTTP 207 with a per-record list (the body, or under `<wrap_key>`/`data`/`results`/`items`/`records`) aligned
 *   with the request, each entry with its own `status`: entries ≥ 400 are rejected, the others accepted;
 * - record ids at `record_id_path` in each entry of that list (or in the body itself when it is one object).
 * An `errors` list that names no record makes the whole request fail (PERMANENT): delivery cannot be told.
 */
export function readResponse(reading: ResponseReading): ResponseOutcome {
  let json: unknown;
  try {
    json = reading.body.trim() === '' ? undefined : JSON.parse(reading.body);
  } catch {
    return { recordIds: [], rejected: [] };
  }
  const rejected = new Map<number, RejectedRecord>();
  if (isObject(json) && Array.isArray(json.errors)) {
    for (const entry of json.errors) {
      const record = isObject(entry) ? entry : { message: String(entry) };
      const index = [record.index, record.record_index, record.row].find((value) => typeof value === 'number');
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= reading.recordCount) {
        throw new SinkWriteError(
          `the API reported an error that names no record of the request: ${messageOf(record)}`,
          {
            category: ErrorCategory.PERMANENT,
            httpStatus: reading.status,
          },
        );
      }
      const status = typeof record.status === 'number' ? record.status : undefined;
      if (!rejected.has(index)) rejected.set(index, rejection(index, record, status));
    }
  }
  const list = recordList(json, reading.wrapKey) ?? (isObject(json) && reading.recordCount === 1 ? [json] : undefined);
  const recordIds: string[] = [];
  list?.forEach((entry, position) => {
    if (!isObject(entry)) return;
    const index = typeof entry.index === 'number' ? entry.index : position;
    const status = typeof entry.status === 'number' ? entry.status : undefined;
    if (reading.status === 207 && status !== undefined && status >= 400) {
      if (index >= 0 && index < reading.recordCount && !rejected.has(index))
        rejected.set(index, rejection(index, entry, status));
      return;
    }
    if (rejected.has(index) || reading.recordIdPath === undefined) return;
    const id = valueAtPath(entry, reading.recordIdPath);
    if (typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint') recordIds.push(String(id));
  });
  return { recordIds, rejected: [...rejected.values()].sort((a, b) => a.index - b.index) };
}
