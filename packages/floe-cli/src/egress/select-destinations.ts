import type { EgressPlan, PlannedDestination } from '@floe/core';

/** The destinations `--destination` names (all when none is named), or a message naming the unknown ones. */
export function selectDestinations(
  plan: EgressPlan,
  names: readonly string[] | undefined,
): { ok: true; destinations: PlannedDestination[] } | { ok: false; message: string } {
  const all = [...plan.destinations];
  if (names === undefined || names.length === 0) return { ok: true, destinations: all };
  const unknown = names.filter((name) => !all.some((d) => d.name === name));
  if (unknown.length > 0) {
    const known = all.map((d) => d.name);
    return {
      ok: false,
      message: `--destination: unknown destination${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')} (${plan.specFile} declares ${known.length > 0 ? known.join(', ') : 'none'})`,
    };
  }
  return { ok: true, destinations: all.filter((d) => names.includes(d.name)) };
}
