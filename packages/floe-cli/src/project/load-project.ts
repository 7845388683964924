import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  compileEgress,
  parseFloeSpec,
  parseManifest,
  type EgressPlan,
  type FloeSpec,
  type PlatformManifest,
  type SinkTypeDescriptor,
  type ValidationIssue,
} from '@floe/core';
import { isUri, resolveProjectPath, type ProjectPaths } from '../paths.js';
import { displayPath } from './display-path.js';
import { noManifestIssue } from './governance.js';

/** A floe.yaml with its manifest, compiled into an egress plan. */
export interface Project {
  readonly paths: ProjectPaths;
  /** floe.yaml as shown in messages (relative to the working directory when inside it). */
  readonly specName: string;
  readonly spec: FloeSpec;
  readonly manifest: PlatformManifest | undefined;
  /** The manifest file used, absolute; `undefined` when there is none. */
  readonly manifestFile: string | undefined;
  readonly plan: EgressPlan;
  readonly warnings: readonly ValidationIssue[];
}

/** The outcome of {@link loadProject}: the project, or every configuration issue found. */
export type LoadProjectResult =
  | { readonly ok: true; readonly project: Project }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[]; readonly warnings: readonly ValidationIssue[] };

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  readonly paths: ProjectPaths;
  /** `--manifest`, relative to `cwd`; default: floe.yaml's `platform.manifest`, relative to floe.yaml. */
  readonly manifest?: string;
  readonly cwd: string;
  /**
   * Sink types the installed plugins offer, with their config schemas — or a function of the manifest that
   * gives them (it may pick between plugins offering one sink type by the manifest's `plugins.ingestion`).
   */
  readonly availableSinks:
    readonly SinkTypeDescriptor[] | ((manifest: PlatformManifest | undefined) => readonly SinkTypeDescriptor[]);
  /** Reads a text file (injected for tests). */
  readonly readText?: (path: string) => Promise<string>;
  /** `--strict`: no manifest (neither `platform.manifest` nor `--manifest`) is an issue, not a warning. */
  readonly strict?: boolean;
}

/**
 * Reads floe.yaml and its manifest and compiles the egress plan: schema, forbidden credential keys,
 * approved sinks, installed sink types and their config schemas. No I/O beyond reading the two files
 * (and a domain manifest's local parent). A floe.yaml no manifest governs is a warning (an issue with `strict`).
 */
export async function loadProject(options: LoadProjectOptions): Promise<LoadProjectResult> {
  const readText = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const { paths, cwd } = options;
  const specName = displayPath(paths.specFile, cwd);
  const specText = await readDocument(readText, paths.specFile, specName);
  if (!specText.ok) return { ok: false, issues: [specText.issue], warnings: [] };
  const specResult = parseFloeSpec(specText.text, { file: specName });
  if (!specResult.ok) return specResult;
  const spec = specResult.value;
  const warnings: ValidationIssue[] = [...specResult.warnings];

  const manifestRef = manifestLocation(spec, options);
  const ungoverned = manifestRef === undefined ? noManifestIssue(specName, options.strict === true) : undefined;
  const strictIssues = ungoverned !== undefined && options.strict === true ? [ungoverned] : [];
  if (ungoverned !== undefined && strictIssues.length === 0) warnings.push(ungoverned);
  let manifest: PlatformManifest | undefined;
  let approvedSinks: readonly string[] | undefined;
  if (manifestRef !== undefined) {
    const loaded = await loadManifestFile(readText, manifestRef, cwd);
    warnings.push(...loaded.warnings);
    if (!loaded.ok) return { ok: false, issues: loaded.issues, warnings };
    manifest = loaded.manifest;
    if (manifest.scope === 'domain' && manifest.parent_manifest !== undefined && !isUri(manifest.parent_manifest)) {
      const parent = await loadManifestFile(
        readText,
        { file: resolveProjectPath(dirname(manifestRef.file), manifest.parent_manifest), from: manifestRef.from },
        cwd,
      );
      warnings.push(...parent.warnings);
      if (!parent.ok) return { ok: false, issues: parent.issues, warnings };
      approvedSinks = parent.manifest.approved_sinks;
    }
  }

  const compiled = compileEgress({
    spec,
    ...(manifest && { manifest }),
    ...(approvedSinks && { approvedSinks }),
    availableSinks:
      typeof options.availableSinks === 'function' ? options.availableSinks(manifest) : options.availableSinks,
    specFile: specName,
  });
  warnings.push(...compiled.warnings);
  if (!compiled.ok) return { ok: false, issues: [...strictIssues, ...compiled.issues], warnings };
  if (strictIssues.length > 0) return { ok: false, issues: strictIssues, warnings };
  return {
    ok: true,
    project: {
      paths,
      specName,
      spec,
      manifest,
      manifestFile: manifestRef?.file,
      plan: compiled.plan,
      warnings,
    },
  };
}

interface ManifestRef {
  readonly file: string;
  /** Where the reference came from, for messages. */
  readonly from: string;
}

function manifestLocation(spec: FloeSpec, options: LoadProjectOptions): ManifestRef | undefined {
  if (options.manifest !== undefined)
    return { file: resolveProjectPath(options.cwd, options.manifest), from: '--manifest' };
  const ref = spec.platform?.manifest;
  if (ref === undefined) return undefined;
  return { file: resolveProjectPath(options.paths.baseDir, ref), from: 'platform.manifest' };
}

type ManifestLoad =
  | { ok: true; manifest: PlatformManifest; warnings: readonly ValidationIssue[] }
  | { ok: false; issues: readonly ValidationIssue[]; warnings: readonly ValidationIssue[] };

async function loadManifestFile(
  readText: (path: string) => Promise<string>,
  ref: ManifestRef,
  cwd: string,
): Promise<ManifestLoad> {
  if (isUri(ref.file)) {
    return {
      ok: false,
      issues: [
        {
          file: ref.file,
          path: '',
          message: `${ref.from}: only local manifest files are supported by the CLI; pass --manifest <path>`,
        },
      ],
      warnings: [],
    };
  }
  const name = displayPath(ref.file, cwd);
  const text = await readDocument(readText, ref.file, name, ref.from);
  if (!text.ok) return { ok: false, issues: [text.issue], warnings: [] };
  const result = parseManifest(text.text, { file: name });
  return result.ok ? { ok: true, manifest: result.value, warnings: result.warnings } : result;
}

async function readDocument(
  readText: (path: string) => Promise<string>,
  file: string,
  name: string,
  from?: string,
): Promise<{ ok: true; text: string } | { ok: false; issue: ValidationIssue }> {
  try {
    return { ok: true, text: await readText(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (error as Error).message})`;
    return { ok: false, issue: { file: name, path: '', message: from ? `${reason} (named by ${from})` : reason } };
  }
}
