import { startHttpTarget, type HttpTarget, type ScriptedResponse } from '@floe/test-harness';

/** A record as the API received it. */
export type ApiRecord = Record<string, unknown> & { id: number };

/**
 * A loopback API that honours `Idempotency-Key` the way payment APIs do: the first request with a key is
 * processed (its records stored) and its answer kept; a repeated key gets the kept answer again and stores
 * nothing. It lives in the test process, so it outlives the CLI processes the tests kill.
 */
export interface IdempotentApi {
  readonly target: HttpTarget;
  readonly url: string;
  /** Answers kept, by idempotency key (= batches the API has processed). */
  readonly answers: Map<string, ScriptedResponse>;
  /** Each record id → the records stored for it (more than one = a duplicate delivery). */
  readonly stored: Map<number, ApiRecord[]>;
  /** Requests whose key was already known (answered from `answers`). */
  replays(): number;
  /** Requests without an idempotency key. */
  unkeyed(): number;
  /**
   * Decides, before processing, whether to fail a request: return a response (e.g. 503) to send instead,
   * `'hang-after'` to process it and then never answer (a lost answer), or `undefined` to process it.
   */
  fault(decide: (key: string, index: number) => ScriptedResponse | 'hang-after' | undefined): void;
  close(): Promise<void>;
}

/** Starts an {@link IdempotentApi} on 127.0.0.1. */
export async function startIdempotentApi(): Promise<IdempotentApi> {
  const answers = new Map<string, ScriptedResponse>();
  const stored = new Map<number, ApiRecord[]>();
  let replays = 0;
  let unkeyed = 0;
  let decide: (key: string, index: number) => ScriptedResponse | 'hang-after' | undefined = () => undefined;
  const target = await startHttpTarget((request, index) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') {
      unkeyed += 1;
      return { status: 400, body: { error: 'Idempotency-Key required' } };
    }
    const kept = answers.get(key);
    if (kept !== undefined) {
      replays += 1;
      return kept;
    }
    const fault = decide(key, index);
    if (fault !== undefined && fault !== 'hang-after') return fault;
    const records = request.body as ApiRecord[];
    for (const record of records) stored.set(record.id, [...(stored.get(record.id) ?? []), record]);
    const answer: ScriptedResponse = { status: 201, body: records.map((record) => ({ id: `c-${record.id}` })) };
    answers.set(key, answer);
    return fault === 'hang-after' ? { hang: true } : answer;
  });
  return {
    target,
    url: target.url,
    answers,
    stored,
    replays: () => replays,
    unkeyed: () => unkeyed,
    fault(next) {
      decide = next;
    },
    close: () => target.close(),
  };
}

/** Checks the API holds exactly `expected` (by id, every value), each record stored once. */
export function storedExactly(api: IdempotentApi): { ids: number; duplicates: number[]; records: ApiRecord[] } {
  const duplicates = [...api.stored].filter(([, records]) => records.length > 1).map(([id]) => id);
  const records = [...api.stored.values()].map((list) => list[0] as ApiRecord).sort((a, b) => a.id - b.id);
  return { ids: api.stored.size, duplicates, records };
}
