import { createHash } from 'node:crypto';
import type { RecordedRequest, ScriptedResponse } from '@floe/test-harness';
import { Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import type { SyncOp } from '@floe/core';
import { tableOf } from './arrow.js';

/** A contact as the fake API keeps it. */
export interface Contact {
  readonly customer_id: number;
  readonly email: string | null;
  readonly name: string | null;
}

/**
 * A contacts API on a loopback target, its records in a Map by the id it gives them (`c-1`, `c-2`, …):
 * - `POST /contacts` — batch upsert by `customer_id` (an email without `@` is refused per record: 207 with 422);
 *   answers `[{ id }]` per record;
 * - `PUT /contacts/by-email/{email}` — upsert of one record by email; answers `{ id }`;
 * - `PATCH /contacts/{id}` — update (404 when gone, 422 for an email without `@`); answers `{ id }`;
 * - `DELETE /contacts/{id}` — delete (404 when gone); 204;
 * - `POST /contacts/delete` — batch delete of `{"ids": [customer_id, …]}`.
 */
export class ContactsApi {
  readonly records = new Map<string, Contact>();
  #next = 0;

  constructor(initial: readonly (readonly [string, Contact])[] = []) {
    for (const [id, contact] of initial) this.records.set(id, contact);
    this.#next = initial.length;
  }

  /** The records as a plain object, by id. */
  snapshot(): Record<string, Contact> {
    return Object.fromEntries([...this.records.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  readonly handle = (request: RecordedRequest): ScriptedResponse => {
    const url = new URL(request.url, 'http://api');
    const path = decodeURIComponent(url.pathname);
    if (request.method === 'POST' && path === '/contacts') return this.#upsertMany(request.body as Contact[]);
    if (request.method === 'POST' && path === '/contacts/delete') {
      const ids = new Set((request.body as { ids: number[] }).ids);
      for (const [id, contact] of this.records) if (ids.has(contact.customer_id)) this.records.delete(id);
      return { status: 200, body: { deleted: ids.size } };
    }
    const byEmail = /^\/contacts\/by-email\/([^/]+)$/.exec(path);
    if (request.method === 'PUT' && byEmail !== null) {
      const contact = request.body as Contact;
      if (contact.email !== byEmail[1]) return { status: 400, body: { message: 'email differs from the path' } };
      return { status: 200, body: { id: this.#upsert(contact) } };
    }
    const one = /^\/contacts\/([^/]+)$/.exec(path);
    const id = one?.[1];
    if (id === undefined) return { status: 404, body: { message: `no route ${request.method} ${path}` } };
    const existing = this.records.get(id);
    if (existing === undefined) return { status: 404, body: { message: `no contact ${id}` } };
    if (request.method === 'DELETE') {
      this.records.delete(id);
      return { status: 204 };
    }
    if (request.method === 'PATCH') {
      const patch = request.body as Partial<Contact>;
      if (typeof patch.email === 'string' && !patch.email.includes('@'))
        return { status: 422, body: { message: 'invalid email' } };
      this.records.set(id, { ...existing, ...patch });
      return { status: 200, body: { id } };
    }
    return { status: 405, body: { message: 'method not allowed' } };
  };

  #upsertMany(contacts: readonly Contact[]): ScriptedResponse {
    const answers = contacts.map((contact) =>
      contact.email !== null && !contact.email.includes('@')
        ? { status: 422, message: 'invalid email' }
        : { status: 200, id: this.#upsert(contact) },
    );
    return { status: answers.some((a) => a.status !== 200) ? 207 : 200, body: answers };
  }

  #upsert(contact: Contact): string {
    const found = [...this.records.entries()].find(([, c]) => c.customer_id === contact.customer_id)?.[0];
    const id = found ?? `c-${(this.#next += 1)}`;
    this.records.set(id, { customer_id: contact.customer_id, email: contact.email, name: contact.name });
    return id;
  }
}

/** One change row as the host sends it. */
export interface Change {
  readonly op: SyncOp;
  readonly id: number;
  readonly email?: string | null;
  readonly name?: string | null;
  /** The destination id the sync state holds. */
  readonly destId?: string;
}

/** The fingerprint a change row carries (16 hex digits of its values; the sink only passes it on). */
export function fingerprintOf(change: Change): string | null {
  if (change.op === 'delete') return null;
  const values = JSON.stringify([change.id, change.email ?? null, change.name ?? null]);
  return createHash('sha256').update(values).digest('hex').slice(0, 16);
}

/** A change batch as the host builds it: the mapped columns plus the bookkeeping columns. */
export function changes(rows: readonly Change[]): Table {
  return tableOf({
    customer_id: vectorFromArray(
      rows.map((row) => row.id),
      new Int32(),
    ),
    email: vectorFromArray(
      rows.map((row) => row.email ?? null),
      new Utf8(),
    ),
    name: vectorFromArray(
      rows.map((row) => row.name ?? null),
      new Utf8(),
    ),
    _floe_op: vectorFromArray(
      rows.map((row) => row.op),
      new Utf8(),
    ),
    _floe_key: vectorFromArray(
      rows.map((row) => String(row.id)),
      new Utf8(),
    ),
    _floe_fp: vectorFromArray(rows.map(fingerprintOf), new Utf8()),
    _floe_dest_id: vectorFromArray(
      rows.map((row) => row.destId ?? null),
      new Utf8(),
    ),
    _floe_file: vectorFromArray(
      rows.map(() => 's3://lake/gold/customers/data/00000-0.parquet'),
      new Utf8(),
    ),
  });
}
