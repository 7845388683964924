import { describe, expect, it } from '@jest/globals';
import { stateStoreLocation } from '../../src/delivery/state-store-location.js';
import { Redactor } from '../../src/secrets/redactor.js';

describe('stateStoreLocation', () => {
  it('takes --state-store, else FLOE_STATE_STORE, else <state-dir>/state.db', () => {
    const redactor = new Redactor();
    expect(stateStoreLocation('sqlite:/x.db', { FLOE_STATE_STORE: 'postgres://h/db' }, '/p/.floe', redactor)).toBe(
      'sqlite:/x.db',
    );
    expect(stateStoreLocation(undefined, { FLOE_STATE_STORE: 'postgres://h/db' }, '/p/.floe', redactor)).toBe(
      'postgres://h/db',
    );
    expect(stateStoreLocation(undefined, { FLOE_STATE_STORE: '' }, '/p/.floe', redactor)).toBe(
      'sqlite:/p/.floe/state.db',
    );
    expect(stateStoreLocation(undefined, {}, '/p/.floe', redactor)).toBe('sqlite:/p/.floe/state.db');
  });

  it("registers a PostgreSQL URL's password with the redactor, encoded or not", () => {
    const redactor = new Redactor();
    stateStoreLocation(undefined, { FLOE_STATE_STORE: 'postgres://floe:p%40ss-9931@ops:5432/floe' }, '/p', redactor);
    expect(redactor.redact('p@ss-9931 and p%40ss-9931')).not.toMatch(/9931/);
  });
});
