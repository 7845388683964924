import { FLOE_PLUGIN_API_VERSION, isCompatible } from './api-version.js';
import { DuplicatePluginError } from './duplicate-plugin-error.js';
import { importDeclaredPlugin, materialisePlugin } from './internal/load-plugin.js';
import { nodeModulesChain, scanNodeModules } from './internal/scan-node-modules.js';
import { PluginConfigurationError } from './plugin-configuration-error.js';
import { readPluginDeclarations, type PluginDeclaration } from './plugin-declaration.js';
import { PluginIncompatibleError } from './plugin-incompatible-error.js';
import type { PluginMetadata } from './plugin-metadata.js';
import { PluginNotFoundError } from './plugin-not-found-error.js';
import { isPluginType, type PluginType } from './plugin-type.js';

/** Options of {@link PluginRegistry}. */
export interface PluginRegistryOptions {
  /** Where discovery starts: `cwd/node_modules` and every parent's. Default `process.cwd()`. */
  readonly cwd?: string;
  /** More node_modules folders to scan, after the `cwd` chain. */
  readonly paths?: readonly string[];
  /** Scan installed packages at all (default true); false = only `register()`ed plugins. */
  readonly discover?: boolean;
  /** The plugin API version this platform offers; default {@link FLOE_PLUGIN_API_VERSION}. */
  readonly platformApiVersion?: string;
}

/** A plugin the registry knows, loaded or not. */
export interface PluginEntry {
  readonly type: PluginType;
  readonly name: string;
  /** `package@version` for a discovered plugin, `register()` for a registered one. */
  readonly source: string;
  /** The declaration, for discovered plugins. */
  readonly declaration?: PluginDeclaration;
  /** Whether `get()` has loaded it. */
  readonly loaded: boolean;
}

interface Slot {
  readonly type: PluginType;
  readonly name: string;
  readonly sources: string[];
  readonly declaration?: PluginDeclaration;
  readonly load: () => Promise<unknown>;
  instance?: Promise<PluginMetadata>;
  loaded: boolean;
}

const REGISTERED = 'register()';

/**
 * Finds, loads and caches floe plugins. Discovery is lazy and cheap: the first `list()`, `has()`,
 * `get()` or `register()` reads the package.json of each package installed in the node_modules
 * folders reachable from `cwd` (pnpm symlinks and `@scope` folders included) and keeps those with
 * a `floe.plugins` field; modules are imported only by `get()`.
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * const dlt = await registry.get('ingestion', 'dlt');
 * if (isSinkConnector(dlt)) console.log(dlt.listAvailableSinks());
 * ```
 */
export class PluginRegistry {
  readonly #options: PluginRegistryOptions;
  readonly #slots = new Map<string, Slot>();
  readonly #issues: PluginConfigurationError[] = [];
  #discovered = false;

  constructor(options: PluginRegistryOptions = {}) {
    this.#options = options;
  }

  /** The platform API version plugins are checked against. */
  get platformApiVersion(): string {
    return this.#options.platformApiVersion ?? FLOE_PLUGIN_API_VERSION;
  }

  /** Malformed `floe.plugins` declarations found by discovery (those entries are skipped). */
  get issues(): readonly PluginConfigurationError[] {
    this.discover();
    return [...this.#issues];
  }

  /** Scans installed packages, once. Called for you by every other method. */
  discover(): this {
    if (this.#discovered) return this;
    this.#discovered = true;
    if (this.#options.discover === false) return this;
    const dirs = [...nodeModulesChain(this.#options.cwd ?? process.cwd()), ...(this.#options.paths ?? [])];
    for (const pkg of scanNodeModules(dirs)) {
      const { declarations, issues } = readPluginDeclarations(pkg.json, pkg.dir, pkg.packageJsonPath);
      if (issues.length > 0)
        this.#issues.push(
          new PluginConfigurationError(`invalid floe plugin declaration in ${pkg.packageJsonPath}`, issues),
        );
      const json = pkg.json as Record<string, unknown>;
      for (const declaration of declarations) {
        this.#add(declaration.type, declaration.name, `${declaration.packageName}@${declaration.packageVersion}`, {
          declaration,
          load: () => importDeclaredPlugin(declaration, json, pkg.packageJsonPath),
        });
      }
    }
    return this;
  }

  /**
   * Registers a plugin instance under `type` and its `name`. Throws {@link PluginIncompatibleError}
   * when its API version does not fit, {@link DuplicatePluginError} when the name is taken.
   */
  register(type: PluginType, plugin: PluginMetadata): void {
    this.#checkCompatible(type, plugin.name, plugin.floeApiVersion);
    this.#addRegistered(type, plugin.name, async () => plugin);
  }

  /** Registers a plugin loaded on first `get()` (an object, class or factory, like a declared export). */
  registerLazy(type: PluginType, name: string, load: () => unknown): void {
    this.#addRegistered(type, name, async () => load());
  }

  /** Whether a plugin of this type and name is known (without loading it). */
  has(type: PluginType, name: string): boolean {
    return this.discover().#slots.has(key(type, name));
  }

  /** Every known plugin, optionally of one type, sorted by type then name. */
  list(type?: PluginType): PluginEntry[] {
    return [...this.discover().#slots.values()]
      .filter((slot) => type === undefined || slot.type === type)
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
      .map((slot) => ({
        type: slot.type,
        name: slot.name,
        source: slot.sources[0] ?? REGISTERED,
        ...(slot.declaration && { declaration: slot.declaration }),
        loaded: slot.loaded,
      }));
  }

  /**
   * Loads (once), checks and returns a plugin. Throws {@link PluginNotFoundError},
   * {@link DuplicatePluginError} (two packages declare it), {@link PluginIncompatibleError} or
   * {@link PluginConfigurationError} (the module or its export is not a plugin).
   */
  async get<T extends PluginMetadata = PluginMetadata>(type: PluginType, name: string): Promise<T> {
    if (!isPluginType(type)) throw new TypeError(`"${String(type)}" is not a plugin type`);
    const slot = this.discover().#slots.get(key(type, name));
    if (!slot)
      throw new PluginNotFoundError(
        type,
        name,
        this.list(type).map((entry) => entry.name),
      );
    if (slot.sources.length > 1) throw new DuplicatePluginError(type, name, slot.sources);
    slot.instance ??= this.#instantiate(slot).then(
      (plugin) => {
        slot.loaded = true;
        return plugin;
      },
      (error: unknown) => {
        slot.instance = undefined;
        throw error;
      },
    );
    return (await slot.instance) as T;
  }

  async #instantiate(slot: Slot): Promise<PluginMetadata> {
    const declared = slot.declaration?.floeApiVersion;
    if (declared !== undefined) this.#checkCompatible(slot.type, slot.name, declared);
    const d = slot.declaration;
    const label = `${slot.type} plugin "${slot.name}"`;
    const path = d ? `floe.plugins[${d.index}]` : slot.name;
    const plugin = await materialisePlugin(await slot.load(), label, path, d && `${d.packageDir}/package.json`);
    this.#checkCompatible(slot.type, slot.name, plugin.floeApiVersion);
    if (plugin.name !== slot.name) {
      throw new PluginConfigurationError(`${label} is misnamed`, [
        {
          ...(d && { file: `${d.packageDir}/package.json` }),
          path: d ? `${path}.name` : 'name',
          message: `declares "${slot.name}" but the plugin is named "${plugin.name}"`,
        },
      ]);
    }
    return plugin;
  }

  #checkCompatible(type: PluginType, name: string, pluginApi: string): void {
    let compatible = false;
    let cause: unknown;
    try {
      compatible = isCompatible(pluginApi, this.platformApiVersion);
    } catch (error) {
      cause = error;
    }
    if (!compatible)
      throw new PluginIncompatibleError(type, name, String(pluginApi), this.platformApiVersion, { cause });
  }

  #addRegistered(type: PluginType, name: string, load: () => Promise<unknown>): void {
    if (!isPluginType(type)) throw new TypeError(`"${String(type)}" is not a plugin type`);
    const existing = this.discover().#slots.get(key(type, name));
    if (existing) throw new DuplicatePluginError(type, name, [...existing.sources, REGISTERED]);
    this.#add(type, name, REGISTERED, { load });
  }

  #add(
    type: PluginType,
    name: string,
    source: string,
    init: { declaration?: PluginDeclaration; load: () => Promise<unknown> },
  ): void {
    const existing = this.#slots.get(key(type, name));
    if (existing) {
      existing.sources.push(source);
      return;
    }
    this.#slots.set(key(type, name), { type, name, sources: [source], ...init, loaded: false });
  }
}

function key(type: string, name: string): string {
  return `${type}\u0000${name}`;
}
