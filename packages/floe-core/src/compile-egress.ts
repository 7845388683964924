import { ConfigValidationError, type ValidationIssue } from './config-validation-error.js';
import type { EgressPlan, PlannedDestination } from './egress-plan.js';
import type { FloeSpec } from './floe-spec.js';
import { dispositionOf, EGRESS_RULES, plannedConfig, type EgressContext } from './internal/egress-rules.js';
import { plannedSync } from './internal/sync-rules.js';
import { formatPath } from './internal/format-path.js';
import { toIssues, type RawIssue } from './internal/raw-issue.js';
import type { PlatformManifest } from './platform-manifest.js';
import { toSinkTypeDescriptors, type SinkTypeDescriptor } from './sink-type-descriptor.js';

/** Input of {@link compileEgress}. */
export interface CompileEgressOptions {
  /** A validated floe.yaml (from `loadFloeSpec` / `parseFloeSpec`). */
  readonly spec: FloeSpec;
  /** The governing manifest; its `approved_sinks` restricts sink types. Absent = no restriction. */
  readonly manifest?: PlatformManifest;
  /**
   * Overrides the manifest's `approved_sinks`, e.g. with the enterprise manifest's list when
   * `manifest` is a domain manifest (which cannot hold one).
   */
  readonly approvedSinks?: readonly string[];
  /** The sink types installed plugins offer: names or descriptors with a config schema. */
  readonly availableSinks: readonly (string | SinkTypeDescriptor)[];
  /** The floe.yaml file name used in issues; default `floe.yaml`. */
  readonly specFile?: string;
  /**
   * Whether a source table exists (e.g. a lookup in a table list fetched from the catalog
   * beforehand). Absent = tables are not checked, only required.
   */
  readonly resolveTable?: (identifier: string) => boolean;
}

/** The outcome of {@link compileEgress}. */
export type CompileEgressResult =
  | { readonly ok: true; readonly plan: EgressPlan; readonly warnings: readonly ValidationIssue[] }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[]; readonly warnings: readonly ValidationIssue[] };

/**
 * The compile/validate step of egress: checks every floe.yaml destination against governance
 * (`approved_sinks`, FR-017), the installed sink types and their config schemas, and the source
 * tables, and returns a plan — or every issue at once, each as `floe.yaml: destinations[i].…: …`.
 * No I/O happens here.
 *
 * @example
 * ```ts
 * const result = compileEgress({ spec, manifest, availableSinks: [restApiSink, sqlDatabaseSink] });
 * if (!result.ok) { result.issues.forEach((i) => console.error(formatIssue(i))); process.exit(1); }
 * for (const d of result.plan.destinations) console.log(d.name, d.sinkType, d.sourceTable, d.disposition);
 * ```
 */
export function compileEgress(options: CompileEgressOptions): CompileEgressResult {
  const file = options.specFile ?? 'floe.yaml';
  const context: EgressContext = {
    approvedSinks: options.approvedSinks ?? options.manifest?.approved_sinks,
    sinks: firstBySinkType(toSinkTypeDescriptors(options.availableSinks)),
    resolveTable: options.resolveTable,
  };
  const destinations = options.spec.destinations ?? [];
  const errors = dedupe(destinations.flatMap((d, i) => EGRESS_RULES.flatMap((rule) => rule(d, i, context))));
  const warnings = toIssues(planWarnings(options), { file });
  if (errors.length > 0) return { ok: false, issues: toIssues(errors, { file }), warnings };
  const planned = destinations.map((d, index): PlannedDestination =>
    Object.freeze({
      index,
      name: d.name,
      sinkType: d.sink_type,
      connectionSecretRef: d.connection_secret_ref,
      sourceTable: d.source_table ?? '',
      fieldMapping: d.field_mapping && Object.freeze({ ...d.field_mapping }),
      batchSize: d.batch_size,
      disposition: dispositionOf(d.config),
      sync: Object.freeze(plannedSync(d)),
      config: Object.freeze(plannedConfig(d, context.sinks.get(d.sink_type))),
    }),
  );
  const { name, version } = options.spec.metadata;
  const plan: EgressPlan = Object.freeze({
    product: Object.freeze({ name, version }),
    specFile: file,
    destinations: Object.freeze(planned),
  });
  return { ok: true, plan, warnings };
}

/**
 * {@link compileEgress} that throws a {@link ConfigValidationError} listing every issue.
 *
 * @example
 * ```ts
 * const plan = compileEgressOrThrow({ spec, manifest, availableSinks: ['rest_api'] });
 * ```
 */
export function compileEgressOrThrow(options: CompileEgressOptions): EgressPlan {
  const result = compileEgress(options);
  if (!result.ok) throw new ConfigValidationError(result.issues, { subject: options.specFile ?? 'floe.yaml' });
  return result.plan;
}

function planWarnings(options: CompileEgressOptions): RawIssue[] {
  const warnings: RawIssue[] = [];
  if ((options.spec.destinations ?? []).length === 0) {
    warnings.push({ segments: ['destinations'], message: 'no destinations are declared: there is nothing to push' });
  }
  if (options.manifest?.scope === 'domain' && options.approvedSinks === undefined) {
    warnings.push({
      segments: ['destinations'],
      message:
        "the manifest is domain-scoped, so approved_sinks were not checked: pass the enterprise manifest's approved_sinks as approvedSinks",
    });
  }
  return warnings;
}

/** One issue per path and message (a rule and the sink schema may flag the same field alike). */
function dedupe(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatPath(issue.segments)}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first descriptor of each sink type wins (plugins listed first take precedence). */
function firstBySinkType(descriptors: readonly SinkTypeDescriptor[]): Map<string, SinkTypeDescriptor> {
  const map = new Map<string, SinkTypeDescriptor>();
  for (const descriptor of descriptors) if (!map.has(descriptor.sinkType)) map.set(descriptor.sinkType, descriptor);
  return map;
}
