import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { SinkConfig, type SyncWrite } from '@floe/core';
import { restApiSink } from '../../../src/sinks/rest/rest-api-sink.js';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import type { Destination } from '../../../src/engine/destination/destination.js';
import { ContactsApi, changes, fingerprintOf, type Change } from '../../helpers/contacts-api.js';
import { restDestination } from '../../helpers/rest.js';

const TOKEN = 'tok-SECRET-5c2d';
const MIRROR: SyncWrite = { mode: 'mirror', primaryKey: ['customer_id'], onDelete: 'delete' };

describe('rest_api sync: named operations', () => {
  let target: HttpTarget;
  const opened: Destination[] = [];
  const open = (destination: Destination): Destination => {
    opened.push(destination);
    return destination;
  };

  beforeEach(async () => {
    target = await startHttpTarget();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.hooks.close?.()));
    await target.close();
  });

  /** Every request the API received: no bookkeeping column (name or value) reached it, in a URL or a body. */
  const expectNoBookkeeping = (rows: readonly Change[]): void => {
    for (const request of target.requests) {
      const sent = `${request.url} ${request.rawBody.toString('utf8')}`;
      expect(sent).not.toContain('_floe');
      expect(sent).not.toContain('s3://');
      for (const row of rows) {
        const fingerprint = fingerprintOf(row);
        if (fingerprint !== null) expect(sent).not.toContain(fingerprint);
      }
    }
  };

  it('routes each change row to its operation: a batch POST upsert, PATCH /contacts/{id}, DELETE /contacts/{id}', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 3, email: 'old3@x.io', name: 'Old' }],
      ['c-2', { customer_id: 4, email: 'd@x.io', name: 'D' }],
      ['c-9', { customer_id: 9, email: 'keep@x.io', name: 'Keep' }],
    ]);
    target.handle(api.handle);
    const dest = open(
      restDestination(
        {
          base_url: `${target.url}/`,
          upsert: { method: 'POST', path: '/contacts' },
          update: { method: 'PATCH', path: '/contacts/{id}' },
          delete: { method: 'DELETE', path: '/contacts/{id}' },
          record_id_path: 'id',
          token: TOKEN,
        },
        { batchSize: 10 },
      ),
    );
    const rows: Change[] = [
      { op: 'upsert', id: 1, email: 'a@x.io', name: 'A' },
      { op: 'update', id: 3, email: 'c@x.io', name: 'C', destId: 'c-1' },
      { op: 'upsert', id: 2, email: 'b@x.io', name: 'B' },
      { op: 'delete', id: 4, destId: 'c-2' },
    ];
    const receipt = await loadToDestination(dest, changes(rows), { sync: MIRROR });

    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /contacts',
      'PATCH /contacts/c-1',
      'DELETE /contacts/c-2',
    ]);
    const [upsert, update, remove] = target.requests;
    expect(upsert?.rawBody.toString()).toBe(
      '[{"customer_id":1,"email":"a@x.io","name":"A"},{"customer_id":2,"email":"b@x.io","name":"B"}]',
    );
    expect(update?.rawBody.toString()).toBe('{"customer_id":3,"email":"c@x.io","name":"C"}');
    expect(remove?.rawBody.length).toBe(0);
    expect(remove?.headers['content-type']).toBeUndefined();
    for (const request of target.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(target.requests.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expectNoBookkeeping(rows);
    expect(api.snapshot()).toEqual({
      'c-1': { customer_id: 3, email: 'c@x.io', name: 'C' },
      'c-4': { customer_id: 1, email: 'a@x.io', name: 'A' },
      'c-5': { customer_id: 2, email: 'b@x.io', name: 'B' },
      'c-9': { customer_id: 9, email: 'keep@x.io', name: 'Keep' },
    });
    expect(receipt.status).toBe('delivered');
    expect(receipt.rowsDelivered).toBe(4);
    expect(receipt.rowsSkipped).toBe(0);
    expect(receipt.destinationRecordIds).toEqual(['c-4', 'c-5', 'c-1']);
    expect(receipt.bytesTransmitted).toBe(target.requests.reduce((sum, r) => sum + r.rawBody.length, 0));
  });

  it('deletes in a batch body of the keys (wrapped under wrap_key) and upserts by a field template, URL-encoded', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 1, email: 'a@x.io', name: 'A' }],
      ['c-2', { customer_id: 2, email: 'b@x.io', name: 'B' }],
      ['c-3', { customer_id: 3, email: 'c@x.io', name: 'C' }],
    ]);
    target.handle(api.handle);
    const dest = open(
      restDestination({
        base_url: target.url,
        upsert: { method: 'PUT', path: 'contacts/by-email/{email}' },
        delete: { method: 'POST', path: '/contacts/delete', body: 'wrapped', wrap_key: 'ids' },
        record_id_path: 'id',
      }),
    );
    const rows: Change[] = [
      { op: 'upsert', id: 5, email: 'e+1@x.io', name: 'E' },
      { op: 'upsert', id: 3, email: 'c@x.io', name: 'C2' },
      { op: 'delete', id: 1 },
      { op: 'delete', id: 2, destId: 'c-2' },
    ];
    const receipt = await loadToDestination(dest, changes(rows), { sync: MIRROR });

    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /contacts/by-email/e%2B1%40x.io',
      'PUT /contacts/by-email/c%40x.io',
      'POST /contacts/delete',
    ]);
    expect(target.requests[2]?.rawBody.toString()).toBe('{"ids":[1,2]}');
    expectNoBookkeeping(rows);
    expect(api.snapshot()).toEqual({
      'c-3': { customer_id: 3, email: 'c@x.io', name: 'C2' },
      'c-4': { customer_id: 5, email: 'e+1@x.io', name: 'E' },
    });
    expect(receipt.status).toBe('delivered');
    expect(receipt.rowsDelivered).toBe(4);
  });

  it('skips an update of a record the API no longer has (404), and rejects the record a 422 refuses', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 1, email: 'a@x.io', name: 'A' }],
      ['c-3', { customer_id: 3, email: 'c@x.io', name: 'C' }],
    ]);
    target.handle(api.handle);
    const dest = open(restDestination({ base_url: target.url, update: { method: 'PATCH', path: '/contacts/{id}' } }));
    const rows: Change[] = [
      { op: 'update', id: 1, email: 'a2@x.io', name: 'A2', destId: 'c-1' },
      { op: 'update', id: 2, email: 'b2@x.io', name: 'B2', destId: 'c-2' },
      { op: 'update', id: 3, email: 'not-an-email', name: 'C2', destId: 'c-3' },
    ];
    const receipt = await loadToDestination(dest, changes(rows), {
      sync: { mode: 'update', primaryKey: ['customer_id'], onDelete: 'delete' },
    });

    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /contacts/c-1',
      'PATCH /contacts/c-2',
      'PATCH /contacts/c-3',
    ]);
    expect(api.snapshot()).toEqual({
      'c-1': { customer_id: 1, email: 'a2@x.io', name: 'A2' },
      'c-3': { customer_id: 3, email: 'c@x.io', name: 'C' },
    });
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(1);
    expect(receipt.rowsSkipped).toBe(1);
    expect(receipt.rowsRejected).toBe(1);
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 2, httpStatus: 422, batch: 0 })]);
    expect(receipt.errors[0]?.message).toContain('invalid email');
  });

  it('sends an insert row to the upsert operation when no insert operation is given, in the existing body shape', async () => {
    const api = new ContactsApi();
    target.handle(api.handle);
    const dest = open(restDestination({ url: `${target.url}/contacts`, record_id_path: 'id' }));
    const receipt = await loadToDestination(
      dest,
      changes([
        { op: 'insert', id: 1, email: 'a@x.io', name: 'A' },
        { op: 'insert', id: 2, email: 'b@x.io', name: 'B' },
      ]),
      { sync: { mode: 'append', primaryKey: [], onDelete: 'delete' } },
    );
    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /contacts']);
    expect(target.requests[0]?.rawBody.toString()).toBe(
      '[{"customer_id":1,"email":"a@x.io","name":"A"},{"customer_id":2,"email":"b@x.io","name":"B"}]',
    );
    expect(api.snapshot()).toEqual({
      'c-1': { customer_id: 1, email: 'a@x.io', name: 'A' },
      'c-2': { customer_id: 2, email: 'b@x.io', name: 'B' },
    });
    expect(receipt.destinationRecordIds).toEqual(['c-1', 'c-2']);
  });

  it('fails before any request when a template names no mapped field, or a delete row has no delete operation', async () => {
    target.handle(new ContactsApi().handle);
    const misnamed = open(
      restDestination({ base_url: target.url, update: { method: 'PATCH', path: '/contacts/{emial}' } }),
    );
    const receipt = await loadToDestination(misnamed, changes([{ op: 'update', id: 1, email: 'a@x.io' }]), {
      sync: { mode: 'update', primaryKey: ['customer_id'], onDelete: 'delete' },
    });
    expect(receipt.status).toBe('failed');
    expect(receipt.errors[0]?.category).toBe('CONFIGURATION');
    expect(receipt.errors[0]?.message).toContain(
      'config.update.path: template {emial} is not a mapped field (fields: customer_id, email, name): name one of them, or {id}',
    );

    const noDelete = open(restDestination({ base_url: target.url, path: '/contacts' }));
    const second = await loadToDestination(noDelete, changes([{ op: 'delete', id: 1, destId: 'c-1' }]), {
      sync: MIRROR,
    });
    expect(second.status).toBe('failed');
    expect(second.errors[0]?.message).toContain('config.delete: is not given: add the delete operation');
    expect(target.requests).toHaveLength(0);
  });

  it('sends a delete row to the archive operation with on_delete archive, its key fields as the body', async () => {
    const api = new ContactsApi([['c-1', { customer_id: 1, email: 'a@x.io', name: 'A' }]]);
    const archived: unknown[] = [];
    target.handle((request) => {
      if (request.method === 'PATCH' && request.url === '/contacts/c-1/archive') {
        archived.push(request.body);
        return { status: 200, body: { id: 'c-1' } };
      }
      return api.handle(request);
    });
    const dest = open(
      restDestination({
        base_url: target.url,
        path: '/contacts',
        archive: { method: 'PATCH', path: '/contacts/{id}/archive' },
      }),
    );
    const rows: Change[] = [{ op: 'delete', id: 1, destId: 'c-1' }];
    const receipt = await loadToDestination(dest, changes(rows), { sync: { ...MIRROR, onDelete: 'archive' } });
    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['PATCH /contacts/c-1/archive']);
    expect(archived).toEqual([{ customer_id: 1 }]);
    expect(receipt.rowsDelivered).toBe(1);
    expectNoBookkeeping(rows);
  });

  it('rejects the rows not sent when a request fails after part of the batch was delivered', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 1, email: 'a@x.io', name: 'A' }],
      ['c-2', { customer_id: 2, email: 'b@x.io', name: 'B' }],
      ['c-3', { customer_id: 3, email: 'c@x.io', name: 'C' }],
    ]);
    target.handle((request) => (request.url === '/contacts/c-2' ? { status: 503 } : api.handle(request)));
    const dest = open(restDestination({ base_url: target.url, update: { method: 'PATCH', path: '/contacts/{id}' } }));
    const receipt = await loadToDestination(
      dest,
      changes([
        { op: 'update', id: 1, email: 'a2@x.io', name: 'A2', destId: 'c-1' },
        { op: 'update', id: 2, email: 'b2@x.io', name: 'B2', destId: 'c-2' },
        { op: 'update', id: 3, email: 'c2@x.io', name: 'C2', destId: 'c-3' },
      ]),
      { sync: { mode: 'update', primaryKey: ['customer_id'], onDelete: 'delete' } },
    );
    // c-2 was tried max_attempts (3) times; c-3 never.
    expect(target.requests.map((r) => r.url)).toEqual([
      '/contacts/c-1',
      '/contacts/c-2',
      '/contacts/c-2',
      '/contacts/c-2',
    ]);
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(1);
    expect(receipt.errors.map((e) => [e.row, e.category])).toEqual([
      [1, 'TRANSIENT'],
      [2, 'TRANSIENT'],
    ]);
    expect(api.snapshot()['c-3']).toEqual({ customer_id: 3, email: 'c@x.io', name: 'C' });
  });

  it('keeps bookkeeping columns out of the plan preview, and refuses a templated upsert path without sync', async () => {
    const config = new SinkConfig({
      sinkType: 'rest_api',
      name: 'crm-contacts',
      connectionConfig: { base_url: target.url, upsert: { method: 'PUT', path: '/contacts/by-email/{email}' } },
    });
    const batch = changes([{ op: 'upsert', id: 1, email: 'a@x.io', name: 'A' }]).batches[0]!;
    expect(restApiSink.encodeRows?.(config, batch, 5).rows).toEqual([{ customer_id: 1, email: 'a@x.io', name: 'A' }]);

    const dest = open(
      restDestination({ base_url: target.url, upsert: { method: 'PUT', path: '/contacts/by-email/{email}' } }),
    );
    const receipt = await loadToDestination(dest, changes([{ op: 'upsert', id: 1, email: 'a@x.io', name: 'A' }]));
    expect(receipt.status).toBe('failed');
    expect(receipt.errors[0]?.message).toContain('config.upsert.path: has templates ({email}), filled only by a sync');
    expect(target.requests).toHaveLength(0);
  });

  it('skips the deletes a batch delete answers 404 for (207), and sends several key fields as objects', async () => {
    target.handle((request) => ({
      status: 207,
      body: (request.body as unknown[]).map((_, i) => (i === 1 ? { status: 404, message: 'gone' } : { status: 200 })),
    }));
    const dest = open(restDestination({ base_url: target.url, delete: { method: 'POST', path: '/contacts/delete' } }));
    const receipt = await loadToDestination(
      dest,
      changes([
        { op: 'delete', id: 1, email: 'a@x.io' },
        { op: 'delete', id: 2, email: 'b@x.io' },
        { op: 'delete', id: 3, email: 'c@x.io' },
      ]),
      { sync: { ...MIRROR, primaryKey: ['customer_id', 'email'] } },
    );
    expect(target.requests.map((r) => r.rawBody.toString())).toEqual([
      '[{"customer_id":1,"email":"a@x.io"},{"customer_id":2,"email":"b@x.io"},{"customer_id":3,"email":"c@x.io"}]',
    ]);
    expect(receipt.status).toBe('delivered');
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.rowsSkipped).toBe(1);
  });
});
