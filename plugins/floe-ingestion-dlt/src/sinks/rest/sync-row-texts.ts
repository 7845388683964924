import type { RecordBatch } from 'apache-arrow';
import { columnsNamed } from '../../engine/destination/sync-batch.js';
import type { JsonEncodingOptions } from '../../engine/encoding/encoding-options.js';
import { encodeJsonRows } from '../../engine/encoding/encode-json.js';
import type { JsonRowsBody } from '../../engine/encoding/json-rows-body.js';

/**
 * The JSON texts a sync sends for the rows of a change batch, encoded once each and exactly as the sink
 * encodes bodies: each row's record (from the batch's encoded body), its key fields (a `delete` row carries only
 * them), and single field values for path templates.
 */
export class SyncRowTexts {
  readonly #data: RecordBatch;
  readonly #encoded: JsonRowsBody;
  readonly #encoding: JsonEncodingOptions;
  readonly #primaryKey: readonly string[];
  #keys: string[] | undefined;
  readonly #fields = new Map<string, (string | undefined)[]>();

  /** `data`: the batch without bookkeeping columns; `encoded`: its body (any framing). */
  constructor(data: RecordBatch, encoded: JsonRowsBody, encoding: JsonEncodingOptions, primaryKey: readonly string[]) {
    this.#data = data;
    this.#encoded = encoded;
    this.#encoding = encoding;
    this.#primaryKey = primaryKey;
  }

  /** Row `i`'s record as sent: `{"id":1,"email":"a@x.io"}`. */
  record(i: number): string {
    const { body, ends, openBytes } = this.#encoded;
    const from = i === 0 ? openBytes : (ends[i - 1] as number) + 1;
    return body.toString('utf8', from, ends[i] as number);
  }

  /** Row `i`'s key fields: `{"id":1}`. */
  keyRecord(i: number): string {
    this.#keys ??= encodeJsonRows(columnsNamed(this.#data, this.#primaryKey), this.#encoding);
    return this.#keys[i] as string;
  }

  /** Row `i`'s key as an item of a batch delete body: its one key value (`1`), or its key fields (`{"a":1,"b":2}`). */
  keyItem(i: number): string {
    if (this.#primaryKey.length !== 1) return this.keyRecord(i);
    const record = this.keyRecord(i);
    return record.slice(JSON.stringify(this.#primaryKey[0]).length + 2, -1);
  }

  /** Row `i`'s value of `field` as path text (a string as it is, a number as its digits), `undefined` for null. */
  fieldValue(field: string, i: number): string | undefined {
    let values = this.#fields.get(field);
    if (values === undefined) {
      const prefix = JSON.stringify(field).length + 2;
      values = encodeJsonRows(columnsNamed(this.#data, [field]), this.#encoding).map((record) => {
        const text = record.slice(prefix, -1);
        if (text === 'null') return undefined;
        return text.startsWith('"') ? (JSON.parse(text) as string) : text;
      });
      this.#fields.set(field, values);
    }
    return values[i];
  }
}
