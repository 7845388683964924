import { startHttpTarget, type HttpTarget, type RecordedRequest, type ScriptedResponse } from '@floe/test-harness';

/** A record as the API holds it (the JSON the sink sent, `id` its source key). */
export type ContactRecord = Record<string, unknown>;

/** How often each change was applied to one record (by its `id` field): more than once is a duplicate. */
export interface Applications {
  created: number;
  updated: number;
  deleted: number;
}

/**
 * A loopback contacts API, as a CRM's: `POST /contacts` upserts a batch by each record's `id` field and answers
 * `[{id: 'c-<n>'}, …]` (the server's ids) in request order; `PATCH /contacts/{c-n}` updates a record (merging the
 * fields sent) and `DELETE /contacts/{c-n}` deletes it, both 404 when the id is unknown. It honours
 * `Idempotency-Key` as payment APIs do: the first request with a key is applied and its answer kept, a repeated
 * key gets the kept answer and changes nothing; a request without a key is refused (400). Every application
 * is counted per record, so a change applied twice is visible. It lives in the test process, so it outlives the
 * CLI processes a test kills.
 */
export interface ContactsApi {
  readonly target: HttpTarget;
  readonly url: string;
  /** The records held, in no particular order. */
  records(): ContactRecord[];
  /** The server id of the record whose `id` field is `key` (as text). */
  serverId(key: string): string | undefined;
  /** Changes applied per record `id` (as text), since the API started or the last {@link resetCounts}. */
  readonly applied: Map<string, Applications>;
  /** Requests received (any method, path, key), since the start or the last {@link resetCounts}. */
  requests(): number;
  /** Requests applied (a new idempotency key), since the start or the last {@link resetCounts}. */
  applications(): number;
  /** Requests answered from a kept answer (a repeated key). */
  replays(): number;
  /** Requests without an idempotency key. */
  unkeyed(): number;
  /** Requests that repeated a key with another method, path or body (refused with 422, as Stripe does). */
  conflicts(): number;
  /** Zeroes {@link applied}, {@link requests}, {@link applications} and {@link replays} (the records stay). */
  resetCounts(): void;
  close(): Promise<void>;
}

const PATH = /^\/contacts(?:\/([^/?]+))?(?:\?.*)?$/;

/** Starts a {@link ContactsApi} on 127.0.0.1. */
export async function startContactsApi(): Promise<ContactsApi> {
  const byServerId = new Map<string, ContactRecord>();
  const byKey = new Map<string, string>();
  const answers = new Map<string, { readonly request: string; readonly answer: ScriptedResponse }>();
  const applied = new Map<string, Applications>();
  let next = 1;
  let requests = 0;
  let applications = 0;
  let replays = 0;
  let unkeyed = 0;
  let conflicts = 0;

  const count = (key: string, change: keyof Applications): void => {
    const entry = applied.get(key) ?? { created: 0, updated: 0, deleted: 0 };
    entry[change] += 1;
    applied.set(key, entry);
  };
  const keyOf = (record: ContactRecord): string => String(record.id);

  function upsert(body: unknown): ScriptedResponse {
    if (!Array.isArray(body)) return { status: 400, body: { error: 'expected an array of contacts' } };
    const ids = (body as ContactRecord[]).map((record) => {
      const key = keyOf(record);
      const known = byKey.get(key);
      if (known !== undefined) {
        byServerId.set(known, { ...record });
        count(key, 'updated');
        return { id: known };
      }
      const serverId = `c-${next++}`;
      byServerId.set(serverId, { ...record });
      byKey.set(key, serverId);
      count(key, 'created');
      return { id: serverId };
    });
    return { status: 201, body: ids };
  }

  function patch(serverId: string, body: unknown): ScriptedResponse {
    const record = byServerId.get(serverId);
    if (record === undefined) return { status: 404, body: { error: `no contact ${serverId}` } };
    const fields = body as ContactRecord;
    if (fields.id !== undefined && keyOf(fields) !== keyOf(record))
      return { status: 422, body: { error: 'the id field of a contact cannot change' } };
    byServerId.set(serverId, { ...record, ...fields });
    count(keyOf(record), 'updated');
    return { status: 200, body: { id: serverId } };
  }

  function remove(serverId: string): ScriptedResponse {
    const record = byServerId.get(serverId);
    if (record === undefined) return { status: 404, body: { error: `no contact ${serverId}` } };
    byServerId.delete(serverId);
    byKey.delete(keyOf(record));
    count(keyOf(record), 'deleted');
    return { status: 204 };
  }

  function apply(request: RecordedRequest): ScriptedResponse {
    const match = PATH.exec(request.url);
    if (match === null) return { status: 404, body: { error: `no route ${request.url}` } };
    const serverId = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (serverId === undefined && request.method === 'POST') return upsert(request.body);
    if (serverId !== undefined && request.method === 'PATCH') return patch(serverId, request.body);
    if (serverId !== undefined && request.method === 'DELETE') return remove(serverId);
    return { status: 405, body: { error: `${request.method} ${request.url} is not supported` } };
  }

  const target = await startHttpTarget((request) => {
    requests += 1;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') {
      unkeyed += 1;
      return { status: 400, body: { error: 'Idempotency-Key required' } };
    }
    const seen = `${request.method} ${request.url} ${request.rawBody.toString('utf8')}`;
    const kept = answers.get(key);
    if (kept !== undefined) {
      if (kept.request !== seen) {
        conflicts += 1;
        return { status: 422, body: { error: 'Idempotency-Key reused for another request' } };
      }
      replays += 1;
      return kept.answer;
    }
    applications += 1;
    const answer = apply(request);
    answers.set(key, { request: seen, answer });
    return answer;
  });
  return {
    target,
    url: target.url,
    records: () => [...byServerId.values()],
    serverId: (key) => byKey.get(key),
    applied,
    requests: () => requests,
    applications: () => applications,
    replays: () => replays,
    unkeyed: () => unkeyed,
    conflicts: () => conflicts,
    resetCounts() {
      applied.clear();
      requests = 0;
      applications = 0;
      replays = 0;
    },
    close: () => target.close(),
  };
}
