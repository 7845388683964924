import type { FloeSpec } from '../floe-spec.js';
import { cronProblem } from './cron.js';
import type { PathSegment } from './format-path.js';
import type { RawIssue } from './raw-issue.js';

/** One cross-field rule of floe.yaml: runs on a value the schema accepted. */
export type FloeSpecRule = (spec: FloeSpec) => RawIssue[];

/** Issues for names used twice in a list: `<list>[3].name: "x" is already used by <list>[1]`. */
function uniqueNames(list: string, items: readonly { name: string }[] | undefined): RawIssue[] {
  const seen = new Map<string, number>();
  const issues: RawIssue[] = [];
  (items ?? []).forEach((item, index) => {
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, index);
    else
      issues.push({
        segments: [list, index, 'name'],
        message: `"${item.name}" is already used by ${list}[${first}]; names must be unique`,
      });
  });
  return issues;
}

/** Transform names are unique. */
export const uniqueTransformNames: FloeSpecRule = (spec) => uniqueNames('transforms', spec.transforms);
/** Destination names are unique. */
export const uniqueDestinationNames: FloeSpecRule = (spec) => uniqueNames('destinations', spec.destinations);
/** Output port names are unique. */
export const uniqueOutputPortNames: FloeSpecRule = (spec) => uniqueNames('outputPorts', spec.outputPorts);

/** A transform must not depend on itself, nor on a chain of transforms leading back to it. */
export const acyclicTransforms: FloeSpecRule = (spec) => {
  const deps = new Map(spec.transforms.map((t) => [t.name, t.dependsOn ?? []]));
  const issues: RawIssue[] = [];
  spec.transforms.forEach((transform, index) => {
    const self = (transform.dependsOn ?? []).indexOf(transform.name);
    if (self >= 0) {
      issues.push({
        segments: ['transforms', index, 'dependsOn', self],
        message: 'a transform cannot depend on itself',
      });
      return;
    }
    const cycle = findCycle(transform.name, deps);
    if (cycle)
      issues.push({ segments: ['transforms', index, 'dependsOn'], message: `dependency cycle: ${cycle.join(' → ')}` });
  });
  return issues;
};

function findCycle(start: string, deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const visit = (name: string, trail: string[], seen: Set<string>): string[] | undefined => {
    for (const next of deps.get(name) ?? []) {
      if (next === start) return [...trail, next];
      if (seen.has(next) || !deps.has(next)) continue;
      seen.add(next);
      const found = visit(next, [...trail, next], seen);
      if (found) return found;
    }
    return undefined;
  };
  return visit(start, [start], new Set([start]));
}

/** `schedule.timezone` must be an IANA time zone the runtime knows. */
export const knownTimezone: FloeSpecRule = (spec) => {
  const zone = spec.schedule?.timezone;
  if (zone === undefined) return [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return [];
  } catch {
    return [
      {
        segments: ['schedule', 'timezone'],
        message: `"${zone}" is not an IANA time zone (e.g. "UTC", "Europe/Berlin")`,
      },
    ];
  }
};

/** `schedule.cron` must be a five-field cron expression or a macro. */
export const validCron: FloeSpecRule = (spec) => {
  const cron = spec.schedule?.cron;
  const problem = cron === undefined ? undefined : cronProblem(cron);
  return problem ? [{ segments: ['schedule', 'cron'], message: problem }] : [];
};

/** Two source columns must not map to the same destination field. */
export const uniqueMappingTargets: FloeSpecRule = (spec) =>
  (spec.destinations ?? []).flatMap((destination, index) => {
    const bySource = Object.entries(destination.field_mapping ?? {});
    const issues: RawIssue[] = [];
    const seen = new Map<string, string>();
    for (const [source, target] of bySource) {
      const other = seen.get(target);
      if (other === undefined) seen.set(target, source);
      else {
        const segments: PathSegment[] = ['destinations', index, 'field_mapping', source];
        issues.push({
          segments,
          message: `maps to "${target}", which "${other}" already maps to; each destination field takes one column`,
        });
      }
    }
    return issues;
  });

/** The cross-field rules of floe.yaml, in reporting order. */
export const FLOE_SPEC_RULES: readonly FloeSpecRule[] = [
  uniqueTransformNames,
  acyclicTransforms,
  validCron,
  knownTimezone,
  uniqueOutputPortNames,
  uniqueDestinationNames,
  uniqueMappingTargets,
];
