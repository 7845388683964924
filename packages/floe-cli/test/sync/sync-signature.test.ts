import { describe, expect, it } from '@jest/globals';
import type { PlannedSync } from '@floe/core';
import { signatureChange, syncSignature, targetOf } from '../../src/sync/sync-signature.js';

const sync = (mode: PlannedSync['mode'], primaryKey: string[]): PlannedSync => ({
  mode,
  changesOnly: true,
  onDelete: 'delete',
  maxDeleteFraction: 0.2,
  primaryKey,
  from: 'sync',
});
const columns = [
  { source: 'id', target: 'id', type: 'int64' },
  { source: 'name', target: 'name', type: 'string' },
];

describe('syncSignature and signatureChange', () => {
  const target = 'table public.contacts on postgres://db:5432/dw';
  const base = syncSignature(sync('upsert', ['id']), columns, target);

  it('is stable and names nothing when nothing changed', () => {
    expect(syncSignature(sync('upsert', ['id']), columns, target)).toBe(base);
    expect(signatureChange(base, base)).toBeUndefined();
  });

  it('names the mode, the primary key, the schema or field_mapping, whichever changed', () => {
    const change = (s: PlannedSync, c = columns) => signatureChange(base, syncSignature(s, c, target));
    expect(change(sync('mirror', ['id']))).toBe('the sync mode changed');
    expect(change(sync('upsert', ['id', 'name']))).toBe('primary_key changed');
    expect(change(sync('upsert', ['id']), [columns[0]!, { source: 'name', target: 'label', type: 'string' }])).toBe(
      'field_mapping changed (a column is sent under another name)',
    );
    expect(change(sync('upsert', ['id']), [...columns, { source: 'note', target: 'note', type: 'string' }])).toBe(
      "the table's schema changed (a column sent was added, dropped or retyped)",
    );
    expect(change(sync('upsert', ['id']), [{ ...columns[0]!, type: 'int32' }, columns[1]!])).toBe(
      "the table's schema changed (a column sent was added, dropped or retyped)",
    );
    expect(change(sync('mirror', ['name']))).toBe('the sync mode changed, primary_key changed');
  });

  it('keeps the target apart: another target is no change of the fingerprints, but its own part differs', () => {
    const other = syncSignature(sync('upsert', ['id']), columns, 'table public.contacts_v2 on postgres://db:5432/dw');
    expect(signatureChange(base, other)).toBeFalsy();
    expect(targetOf(other)).not.toBe(targetOf(base));
    expect(targetOf(base)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('cannot tell what changed in a state signed by the earlier (one-hash) form', () => {
    expect(signatureChange('a41f0c9e8d7b6a5f', base)).toBe(
      'the primary key, field_mapping, column types or sync mode changed',
    );
  });
});
