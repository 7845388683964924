import { describe, expect, it } from '@jest/globals';
import type { EgressPlan } from '@floe/core';
import { selectDestinations } from '../../src/egress/select-destinations.js';

const plan = {
  specFile: 'floe.yaml',
  product: { name: 'p', version: '1.0.0' },
  destinations: [{ name: 'a' }, { name: 'b' }],
} as unknown as EgressPlan;

describe('selectDestinations', () => {
  it('takes every destination when none is named, or the named ones in file order', () => {
    expect(selectDestinations(plan, undefined)).toMatchObject({
      ok: true,
      destinations: [{ name: 'a' }, { name: 'b' }],
    });
    expect(selectDestinations(plan, ['b'])).toMatchObject({ ok: true, destinations: [{ name: 'b' }] });
  });

  it('names unknown destinations and the declared ones', () => {
    expect(selectDestinations(plan, ['c', 'a'])).toEqual({
      ok: false,
      message: '--destination: unknown destination "c" (floe.yaml declares a, b)',
    });
  });
});
