import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PluginRegistry,
  nodeModulesChain,
  isSinkConnector,
  sinkTypeDescriptorsOf,
  type SinkConnector,
  type SinkTypeDescriptor,
} from '@floe/core';
import type { InstalledPlugin } from '../egress/engine.js';

/** One sink type and the connector that offers it. */
export interface OfferedSinkType {
  readonly descriptor: SinkTypeDescriptor;
  readonly connector: SinkConnector;
  /** `package@version` of the plugin that offers it. */
  readonly source: string;
  /** The plugin's name (what the manifest's `plugins.ingestion.type` names). */
  readonly plugin: string;
}

/**
 * The sink types a host can use: each sink type offered by one plugin, or by several when `pick` names one of
 * them (the manifest's `plugins.ingestion.type`); a sink type offered by several plugins otherwise is a problem
 * naming every package.
 */
export function resolveSinkTypes(
  offers: ReadonlyMap<string, readonly OfferedSinkType[]>,
  pick: string | undefined,
): { readonly sinkTypes: ReadonlyMap<string, OfferedSinkType>; readonly problems: readonly string[] } {
  const sinkTypes = new Map<string, OfferedSinkType>();
  const problems: string[] = [];
  for (const [sinkType, list] of offers) {
    const chosen = list.length === 1 ? list[0] : list.find((offer) => offer.plugin === pick);
    if (chosen !== undefined) sinkTypes.set(sinkType, chosen);
    else
      problems.push(
        `sink type "${sinkType}" is offered by ${list.map((o) => `${o.source} (plugin "${o.plugin}")`).join(' and ')}: ` +
          "uninstall all but one, or pick one with the manifest's plugins.ingestion.type",
      );
  }
  return { sinkTypes, problems };
}

/** What {@link discoverSinkConnectors} found. */
export interface DiscoveredSinks {
  readonly plugins: readonly InstalledPlugin[];
  /** Every offer of every sink type (more than one when several plugins offer it). */
  readonly offers: ReadonlyMap<string, readonly OfferedSinkType[]>;
  /** Lines naming the package at fault: a plugin that failed to load or whose declaration is malformed. */
  readonly problems: readonly string[];
  /** Every loaded plugin that has a `shutdown()` (called by the engine's `close()`). */
  readonly loaded: readonly unknown[];
}

/** Options of {@link discoverSinkConnectors}. */
export interface DiscoverOptions {
  /** floe.yaml's folder: its `node_modules` and every parent's are scanned first. */
  readonly projectDir: string;
  /** More folders whose `node_modules` chain is scanned after (default: the CLI's own installation). */
  readonly installDir?: string;
}

/** The folder this CLI is installed in (its `dist/` parent). */
export function cliInstallDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/**
 * Finds every installed floe plugin (packages whose `package.json` declares `floe.plugins`, as ESLint and
 * Prettier find theirs) in the `node_modules` folders above floe.yaml and in the CLI's own installation,
 * loads each, and keeps those that are {@link SinkConnector}s with the sink types they offer. A plugin that
 * fails to load or whose API version is incompatible, and a sink type two plugins offer, become problems
 * naming the packages.
 */
export async function discoverSinkConnectors(options: DiscoverOptions): Promise<DiscoveredSinks> {
  const registry = new PluginRegistry({
    cwd: options.projectDir,
    paths: nodeModulesChain(options.installDir ?? cliInstallDir()),
  });
  const plugins: InstalledPlugin[] = [];
  const problems = registry.issues.map((issue) => `${issue.message}: ${issue.issues.map((i) => i.message).join('; ')}`);
  const offers = new Map<string, OfferedSinkType[]>();
  const loaded: unknown[] = [];
  for (const entry of registry.list()) {
    const base = {
      type: entry.type,
      name: entry.name,
      source: entry.source,
      version: entry.declaration?.packageVersion,
      apiVersion: entry.declaration?.floeApiVersion,
    };
    let plugin: unknown;
    try {
      plugin = await registry.get(entry.type, entry.name);
    } catch (error) {
      const reason = (error as Error).message.replace(/\s*\n\s*/g, '; ');
      const message = `plugin "${entry.name}" from ${entry.source} cannot be used: ${reason}`;
      plugins.push({ ...base, ok: false, sinkTypes: [], error: message });
      problems.push(message);
      continue;
    }
    loaded.push(plugin);
    const apiVersion = (plugin as { floeApiVersion?: string }).floeApiVersion ?? base.apiVersion;
    if (!isSinkConnector(plugin)) {
      plugins.push({ ...base, apiVersion, ok: true, sinkTypes: [] });
      continue;
    }
    await (plugin as { startup?: () => Promise<void> }).startup?.();
    const descriptors = sinkTypeDescriptorsOf(plugin as Parameters<typeof sinkTypeDescriptorsOf>[0]);
    for (const descriptor of descriptors) {
      const list = offers.get(descriptor.sinkType) ?? [];
      list.push({ descriptor, connector: plugin, source: entry.source, plugin: entry.name });
      offers.set(descriptor.sinkType, list);
    }
    plugins.push({ ...base, apiVersion, ok: true, sinkTypes: descriptors.map((d) => d.sinkType) });
  }
  return { plugins, offers, problems, loaded };
}
