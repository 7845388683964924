import { describe, expect, it } from '@jest/globals';
import type { PlannedSync, SinkCheckInput } from '@floe/core';
import { restApiSink } from '../../../src/sinks/rest/rest-api-sink.js';
import { restApiConfigSchema } from '../../../src/sinks/rest/rest-config-schema.js';

const check = restApiSink.check as NonNullable<typeof restApiSink.check>;

function planned(mode: PlannedSync['mode'], onDelete: PlannedSync['onDelete'] = 'delete'): PlannedSync {
  return { mode, changesOnly: true, onDelete, maxDeleteFraction: 0.2, primaryKey: ['customer_id'], from: 'sync' };
}

/** The schema's issues as `path: message`. */
function issues(config: Record<string, unknown>): string[] {
  const parsed = restApiConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const BASE = 'https://api.example.com/v1';

describe('rest_api named operations: config', () => {
  it('accepts base_url with insert, update, upsert, delete and archive operations', () => {
    expect(
      issues({
        base_url: BASE,
        insert: { method: 'POST', path: '/contacts' },
        update: { method: 'PATCH', path: '/contacts/{id}' },
        upsert: { method: 'PUT', path: '/contacts/by-email/{email}' },
        delete: { method: 'POST', path: '/contacts/delete', body: 'wrapped', wrap_key: 'ids' },
        archive: { method: 'PATCH', path: '/contacts/{id}/archive' },
        record_id_path: 'id',
      }),
    ).toEqual([]);
    // Today's single form is still the upsert.
    expect(issues({ url: `${BASE}/contacts`, method: 'PUT', body: 'record' })).toEqual([]);
  });

  it('names the path and the fix for a bad operation', () => {
    expect(issues({ url: `${BASE}/contacts`, delete: { method: 'DELETE', path: '/contacts/{id}' } })).toEqual([
      'delete.path: is appended to base_url: set base_url (e.g. https://api.example.com/v1) instead of url, or remove delete',
    ]);
    expect(issues({ base_url: BASE, insert: { method: 'POST', path: '/contacts/{id}' } })).toEqual([
      "insert.path: template {id} is the destination's id of a record synced before, unknown for a new one: use it in update, delete or archive paths, or name a mapped field, e.g. {email}",
    ]);
    expect(issues({ base_url: BASE, update: { method: 'PATCH', path: '/contacts/{id}', body: 'array' } })).toEqual([
      'update.body: a path with a template sends one request per row: remove body, or set body: record',
    ]);
    expect(issues({ base_url: BASE, update: { method: 'PATCH', path: '/contacts/{}' } })).toEqual([
      'update.path: holds an empty template {}: name a mapped field, e.g. {email}, or {id}',
    ]);
    expect(issues({ base_url: BASE, update: { method: 'PATCH', path: '/contacts/{id' } })).toEqual([
      'update.path: has a brace outside a template: write templates as {id} or {<field>}',
    ]);
    expect(issues({ base_url: BASE, path: '/contacts', upsert: { method: 'PUT', path: '/contacts' } })).toEqual([
      'upsert: the top-level path is the upsert operation already: remove path, or remove upsert',
    ]);
    expect(issues({ base_url: BASE, delete: { method: 'POST', path: '/del', wrap_key: 'ids' } })).toEqual([
      'delete.wrap_key: only with body: wrapped',
    ]);
    expect(issues({ base_url: BASE, delete: { method: 'GET', path: '/contacts/{id}' } })).toHaveLength(1);
  });

  it('refuses credentials in an operation path', () => {
    const found = issues({ base_url: BASE, delete: { method: 'DELETE', path: '/contacts/{id}?api_key=k-SECRET' } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^delete\.path: query parameter "api_key" holds a credential: put it in the connection secret/,
    );
    expect(found[0]).not.toContain('k-SECRET');
  });

  it('describes the target with its operations', () => {
    expect(
      restApiSink.describeTarget?.({
        base_url: BASE,
        path: '/contacts',
        delete: { method: 'DELETE', path: '/contacts/{id}' },
      }),
    ).toBe(`POST ${BASE}/contacts; delete DELETE ${BASE}/contacts/{id}`);
  });
});

describe('rest_api named operations: check', () => {
  const input = (config: Record<string, unknown>, sync: PlannedSync, columns?: string[]): SinkCheckInput => ({
    config: { base_url: BASE, record_id_path: 'id', ...config },
    disposition: 'append',
    sync,
    ...(columns !== undefined && { columns }),
  });

  it('declares every sync mode but replace', () => {
    expect(restApiSink.capabilities?.syncModes).toEqual(['append', 'insert', 'update', 'upsert', 'mirror']);
  });

  it('refuses a mirror without the operation that takes a record out, naming the fix', () => {
    expect(check(input({ path: '/contacts' }, planned('mirror')))).toEqual([
      {
        path: 'config.delete',
        message:
          'sync mode "mirror" deletes the records that left the source: add the delete operation (with base_url), e.g. delete: { method: DELETE, path: /contacts/{id} }',
      },
    ]);
    expect(check(input({ delete: { method: 'DELETE', path: '/c/{id}' } }, planned('mirror', 'archive')))).toEqual([
      {
        path: 'config.archive',
        message:
          'sync mode "mirror" archives the records that left the source: add the archive operation (with base_url), e.g. archive: { method: PATCH, path: /contacts/{id}/archive }',
      },
    ]);
    expect(check(input({ delete: { method: 'DELETE', path: '/c/{id}' } }, planned('mirror')))).toEqual([]);
  });

  it('accepts update with an {id} path, and checks templates against the columns once known', () => {
    const update = { update: { method: 'PATCH', path: '/contacts/{id}' } };
    expect(check(input(update, planned('update')))).toEqual([]);
    expect(check(input(update, planned('update'), ['customer_id', 'email']))).toEqual([]);
    expect(
      check(
        input({ upsert: { method: 'PUT', path: '/contacts/by-email/{mail}' } }, planned('upsert'), [
          'customer_id',
          'email',
        ]),
      ),
    ).toEqual([
      {
        path: 'config.upsert.path',
        message:
          "template {mail} is not a mapped field (fields: customer_id, email): name one of them, or {id} for the destination's id of the record",
      },
    ]);
    expect(
      check({ config: { base_url: BASE, ...update }, disposition: 'append', sync: planned('update') })[0]?.message,
    ).toMatch(/^template \{id\} is the id the API gave the record, kept only with record_id_path: set record_id_path/);
  });
});
