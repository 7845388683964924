import { availableParallelism } from 'node:os';
import type { RecordBatch } from 'apache-arrow';
import type { BatchContext } from '../../engine/destination/types.js';
import type { JsonBodyFraming } from '../../engine/encoding/json-body-framing.js';
import type { JsonEncodingOptions } from '../../engine/encoding/encoding-options.js';
import { JsonEncodeThreads } from '../../engine/encoding/json-encode-threads.js';
import { encodeJsonRowsBody, type JsonRowsBody } from '../../engine/encoding/json-rows-body.js';
import { ATTR_SINK_BATCH_ENCODED_ON } from '../../engine/tracing/attributes.js';
import type { RestApiConnection } from './rest-config-schema.js';

/** Batches smaller than this are encoded where they are sent: the trip to a thread would cost more. */
const THREAD_MIN_ROWS = 64;

/** How a rest_api destination's request bodies look (from its connection's `body`, `wrap_key`, `int64`, `decimal`). */
export interface RestBodyFormat {
  /** `body: record`: one record per request, sent bare. */
  readonly recordMode: boolean;
  /** `body: wrapped`: the key the records array is wrapped in. */
  readonly wrapKey: string | undefined;
  readonly framing: JsonBodyFraming;
  readonly encoding: JsonEncodingOptions;
}

/** The body format the connection asks for. */
export function restBodyFormat(connection: RestApiConnection): RestBodyFormat {
  const wrapKey = connection.body === 'wrapped' ? (connection.wrap_key ?? 'data') : undefined;
  const recordMode = connection.body === 'record';
  const framing = recordMode
    ? { open: '', close: '' }
    : wrapKey === undefined
      ? {}
      : { open: `{${JSON.stringify(wrapKey)}:[`, close: ']}' };
  return { recordMode, wrapKey, framing, encoding: { int64: connection.int64, decimal: connection.decimal } };
}

/**
 * Encodes a destination's batches to JSON request bodies column-wise from Arrow: with `threads` > 0, on worker
 * threads ahead of their turn (`encodeAhead`, the destination's `prepare`, while earlier batches are being sent),
 * else — and for small batches, record bodies, until a worker has loaded, or when a thread fails — where the
 * batch is sent. The threads start with the first batch big enough to need them and end with `close()`.
 */
export class RestBodyEncoder {
  readonly #format: RestBodyFormat;
  readonly #threadCount: number;
  /** Encoding threads of the current load (started by the first batch big enough to need them). */
  #threads: JsonEncodeThreads | undefined;

  /** `threads`: encoding threads (0: none; default: 1 on more than 2 cores, else 0). */
  constructor(format: RestBodyFormat, threads: number = defaultEncodeThreads()) {
    this.#format = format;
    this.#threadCount = threads;
  }

  /** Starts encoding `batch` on a thread, if threads are on and the batch is big enough to gain from it. */
  encodeAhead(batch: RecordBatch): Promise<JsonRowsBody> | undefined {
    const { recordMode, encoding, framing } = this.#format;
    if (recordMode || this.#threadCount === 0 || batch.numRows < THREAD_MIN_ROWS) return undefined;
    if (!JsonEncodeThreads.available) return undefined;
    this.#threads ??= new JsonEncodeThreads(this.#threadCount, encoding, framing);
    // Until a worker has loaded, batches are encoded where they are sent rather than queued behind its start.
    this.#threads.start();
    if (!this.#threads.ready) return undefined;
    const encoded = this.#threads.encode(batch);
    encoded.catch(() => undefined); // a batch the load drops before sending: nobody awaits it
    return encoded;
  }

  /** The batch's body: the thread's (`context.prepared`), or encoded here when there is none or the thread failed. */
  async encodedBody(batch: RecordBatch, context: BatchContext): Promise<JsonRowsBody> {
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
    return encodeJsonRowsBody(batch, this.#format.encoding, this.#format.framing);
  }

  /** Ends the threads (a later batch starts new ones). */
  async close(): Promise<void> {
    await this.#threads?.close();
    this.#threads = undefined;
  }
}

/**
 * One encoding thread where the machine has cores to spare, none on 2 cores or fewer: there the sending thread
 * and the thread would compete for the same cores, and `pnpm bench` measured the sink slower with it.
 */
function defaultEncodeThreads(): number {
  return availableParallelism() > 2 ? 1 : 0;
}
