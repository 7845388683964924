import { readFileSync } from 'node:fs';
import type { ValidationIssue } from '@floe/core';
import { parse } from 'yaml';

/** The global governance options (`--strict`), filled in before a command runs. */
export interface GovernanceSettings {
  /** `--strict`: a floe.yaml without `platform.manifest` (and no `--manifest`) is an error (exit 3), not a warning. */
  strict?: boolean | undefined;
}

/**
 * The issue of a floe.yaml governed by no manifest (no `platform.manifest`, no `--manifest`): nothing checks its
 * sink types against `approved_sinks` or its plugins against the platform's. A warning, printed once by every
 * command that reads floe.yaml; with `--strict`, an error (exit 3).
 *
 * @example
 * ```ts
 * formatIssue(noManifestIssue('floe.yaml', false));
 * // floe.yaml: platform.manifest: not set: no governance (approved_sinks, plugins) is enforced — …
 * ```
 */
export function noManifestIssue(specName: string, strict: boolean): ValidationIssue {
  const fix = 'set platform.manifest to a manifest.yaml (floe init writes one) or pass --manifest';
  return {
    file: specName,
    path: 'platform.manifest',
    message: strict
      ? `not set, and --strict refuses a floe.yaml no manifest governs (approved_sinks, plugins): ${fix}`
      : `not set: no governance (approved_sinks, plugins) is enforced — ${fix}; --strict makes this an error`,
  };
}

/**
 * Whether floe.yaml names a manifest (`platform.manifest`), read without validating the file — for commands that
 * do not load the project (`egress runs`). `undefined` when the file is missing or is not a YAML mapping: there is
 * no floe.yaml to speak of.
 */
export function declaresManifest(specFile: string): boolean | undefined {
  try {
    const spec = parse(readFileSync(specFile, 'utf8')) as { platform?: { manifest?: unknown } | null } | null;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
    const manifest = spec.platform?.manifest;
    return typeof manifest === 'string' && manifest !== '';
  } catch {
    return undefined;
  }
}
