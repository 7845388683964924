import type { EgressPlan, PlannedDestination } from '@floe/core';
import { matchesName, splitNames } from './name-patterns.js';

/**
 * The destinations `--destination` names — several values, comma-separated lists and globs (`mart_*`),
 * in floe.yaml's order; all when none is named — or a message naming the patterns that match nothing.
 */
export function selectDestinations(
  plan: EgressPlan,
  names: readonly string[] | undefined,
): { ok: true; destinations: PlannedDestination[] } | { ok: false; message: string } {
  const all = [...plan.destinations];
  const patterns = splitNames(names);
  if (patterns.length === 0) return { ok: true, destinations: all };
  const unknown = patterns.filter((pattern) => !all.some((d) => matchesName(d.name, pattern)));
  if (unknown.length > 0) {
    const known = all.map((d) => d.name);
    return {
      ok: false,
      message: `--destination: unknown destination${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')} (${plan.specFile} declares ${known.length > 0 ? known.join(', ') : 'none'})`,
    };
  }
  return { ok: true, destinations: all.filter((d) => patterns.some((pattern) => matchesName(d.name, pattern))) };
}
