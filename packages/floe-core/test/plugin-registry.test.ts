import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  DuplicatePluginError,
  PluginConfigurationError,
  PluginIncompatibleError,
  PluginMetadata,
  PluginNotFoundError,
  PluginRegistry,
  isDuplicatePluginError,
  isPluginConfigurationError,
  isPluginIncompatibleError,
  isPluginNotFoundError,
} from '../src/index.js';
import { declaring, link, makeProject, pluginClassModule, writePackage } from './plugin-fixtures.js';

class Registered extends PluginMetadata {
  constructor(
    readonly name: string,
    readonly floeApiVersion = '1.0',
  ) {
    super();
  }
  readonly version = '1.0.0';
  readonly description = 'registered in code';
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('PluginRegistry discovery', () => {
  it('finds a package in node_modules and loads its default-export class on get()', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'floe-plugin-a'),
      declaring('floe-plugin-a', [{ type: 'ingestion', name: 'a' }]),
      {
        'index.js': pluginClassModule('a'),
      },
    );
    const registry = new PluginRegistry({ cwd: project });
    expect(registry.list()).toEqual([
      expect.objectContaining({ type: 'ingestion', name: 'a', source: 'floe-plugin-a@1.0.0', loaded: false }),
    ]);
    const plugin = await registry.get('ingestion', 'a');
    expect(plugin).toMatchObject({ name: 'a', version: '1.0.0', floeApiVersion: '1.0' });
    expect(await registry.get('ingestion', 'a')).toBe(plugin);
    expect(registry.list('ingestion')[0]?.loaded).toBe(true);
    expect(registry.list('catalog')).toEqual([]);
    expect(registry.has('ingestion', 'a')).toBe(true);
  });

  it("follows pnpm's symlinked layout, scoped packages and exports-map subpaths", async () => {
    const project = await makeProject();
    const store = join(project, 'node_modules', '.pnpm', '@acme+floe-b@2.0.0', 'node_modules', '@acme', 'floe-b');
    await writePackage(
      store,
      {
        name: '@acme/floe-b',
        version: '2.0.0',
        exports: { '.': './dist/index.js', './plugin': { types: './dist/plugin.d.ts', import: './dist/plugin.js' } },
        floe: { plugins: [{ type: 'catalog', name: 'b', export: './plugin' }] },
      },
      {
        'dist/plugin.js':
          "export const plugin = { name: 'b', version: '2.0.0', floeApiVersion: '1.0', description: 'object export' };\n",
      },
    );
    await link(store, join(project, 'node_modules', '@acme', 'floe-b'));
    // A package only in the store (a transitive dependency) is not installed for this project.
    await writePackage(
      join(project, 'node_modules', '.pnpm', 'hidden@1.0.0', 'node_modules', 'hidden'),
      declaring('hidden', [{ type: 'catalog', name: 'hidden' }]),
    );
    const registry = new PluginRegistry({ cwd: project });
    expect(registry.list().map((e) => `${e.type}/${e.name} ${e.source}`)).toEqual(['catalog/b @acme/floe-b@2.0.0']);
    expect(registry.list()[0]?.declaration).toMatchObject({ packageDir: store, export: './plugin', index: 0 });
    await expect(registry.get('catalog', 'b')).resolves.toMatchObject({ name: 'b', description: 'object export' });
  });

  it('walks up from cwd, nearer packages shadowing farther ones, and scans extra paths', async () => {
    const project = await makeProject();
    const app = join(project, 'apps', 'web');
    await writePackage(
      join(project, 'node_modules', 'floe-plugin-a'),
      declaring('floe-plugin-a', [{ type: 'ingestion', name: 'far' }]),
    );
    await writePackage(
      join(app, 'node_modules', 'floe-plugin-a'),
      declaring('floe-plugin-a', [{ type: 'ingestion', name: 'near' }]),
    );
    await writePackage(
      join(project, 'node_modules', 'floe-plugin-c'),
      declaring('floe-plugin-c', [{ type: 'compute', name: 'c' }]),
    );
    await writePackage(
      join(project, 'elsewhere', 'node_modules', 'floe-plugin-d'),
      declaring('floe-plugin-d', [{ type: 'dbt', name: 'd' }]),
    );
    await writePackage(join(project, 'node_modules', 'not-a-plugin'), { name: 'not-a-plugin', version: '1.0.0' });
    const registry = new PluginRegistry({ cwd: app, paths: [join(project, 'elsewhere', 'node_modules')] });
    expect(registry.list().map((e) => `${e.type}/${e.name}`)).toEqual(['compute/c', 'dbt/d', 'ingestion/near']);
  });

  it('uses a named export, calls a factory and awaits it', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'floe-factory'),
      declaring('floe-factory', [{ type: 'storage', name: 's3', exportName: 'createPlugin' }]),
      {
        'index.js':
          "export async function createPlugin() { return { name: 's3', version: '1.0.0', floeApiVersion: '1.0', description: 'from a factory' }; }\n",
      },
    );
    await expect(new PluginRegistry({ cwd: project }).get('storage', 's3')).resolves.toMatchObject({
      description: 'from a factory',
    });
  });

  it('resolves a package without an exports map through main', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'floe-legacy'),
      {
        name: 'floe-legacy',
        version: '1.0.0',
        main: 'lib/main.js',
        floe: { plugins: [{ type: 'secrets', name: 'legacy' }] },
      },
      {
        'lib/main.js': pluginClassModule('legacy'),
      },
    );
    await expect(new PluginRegistry({ cwd: project }).get('secrets', 'legacy')).resolves.toMatchObject({
      name: 'legacy',
    });
  });

  it('imports nothing until get() is called', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'floe-boom'),
      declaring('floe-boom', [{ type: 'ingestion', name: 'boom' }]),
      {
        'index.js': "throw new Error('imported too early');\n",
      },
    );
    const registry = new PluginRegistry({ cwd: project });
    expect(registry.list()).toHaveLength(1);
    const error = await rejection(registry.get('ingestion', 'boom'));
    expect(isPluginConfigurationError(error)).toBe(true);
    expect((error as PluginConfigurationError).issues[0]).toMatchObject({ path: 'floe.plugins[0].export' });
    expect((error as PluginConfigurationError).issues[0]?.message).toContain('imported too early');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('ignores node_modules when discovery is off', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'floe-plugin-a'),
      declaring('floe-plugin-a', [{ type: 'ingestion', name: 'a' }]),
    );
    expect(new PluginRegistry({ cwd: project, discover: false }).list()).toEqual([]);
  });
});

describe('PluginRegistry errors', () => {
  it('throws PluginNotFoundError naming the installed plugins of that type', async () => {
    const registry = new PluginRegistry({ discover: false });
    registry.register('ingestion', new Registered('dlt'));
    const error = await rejection(registry.get('ingestion', 'airbyte'));
    expect(error).toBeInstanceOf(PluginNotFoundError);
    expect(isPluginNotFoundError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'PluginNotFoundError',
      code: 'PLUGIN_NOT_FOUND',
      category: 'CONFIGURATION',
      pluginType: 'ingestion',
      pluginName: 'airbyte',
      available: ['dlt'],
    });
    expect((error as Error).message).toMatch(
      /^no ingestion plugin named "airbyte" is installed \(installed ingestion plugins: dlt\)/,
    );
    const none = await rejection(registry.get('catalog', 'polaris'));
    expect((none as Error).message).toContain('(installed catalog plugins: none)');
  });

  it('throws a TypeError for an unknown plugin type', async () => {
    const registry = new PluginRegistry({ discover: false });
    await expect(registry.get('sink' as never, 'x')).rejects.toThrow(TypeError);
    expect(() => registry.registerLazy('sink' as never, 'x', () => ({}))).toThrow('"sink" is not a plugin type');
  });

  it('throws DuplicatePluginError when two packages declare the same plugin', async () => {
    const project = await makeProject();
    await writePackage(join(project, 'node_modules', 'one'), declaring('one', [{ type: 'ingestion', name: 'dlt' }]));
    await writePackage(join(project, 'node_modules', 'two'), declaring('two', [{ type: 'ingestion', name: 'dlt' }]));
    const error = await rejection(new PluginRegistry({ cwd: project }).get('ingestion', 'dlt'));
    expect(isDuplicatePluginError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'DuplicatePluginError',
      code: 'PLUGIN_DUPLICATE',
      category: 'CONFIGURATION',
      sources: ['one@1.0.0', 'two@1.0.0'],
    });
    expect((error as Error).message).toBe(
      'ingestion plugin "dlt" is declared more than once (by one@1.0.0 and two@1.0.0); keep one',
    );
  });

  it('throws DuplicatePluginError when registering a taken name', async () => {
    const project = await makeProject();
    await writePackage(join(project, 'node_modules', 'one'), declaring('one', [{ type: 'ingestion', name: 'dlt' }]));
    const registry = new PluginRegistry({ cwd: project });
    expect(() => registry.register('ingestion', new Registered('dlt'))).toThrow(DuplicatePluginError);
    registry.register('ingestion', new Registered('other'));
    expect(() => registry.registerLazy('ingestion', 'other', () => new Registered('other'))).toThrow(
      '(by register() and register())',
    );
  });

  it('throws PluginIncompatibleError when the loaded plugin needs a newer API', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'future'),
      declaring('future', [{ type: 'compute', name: 'future' }]),
      { 'index.js': pluginClassModule('future', '1.9') },
    );
    const error = await rejection(new PluginRegistry({ cwd: project }).get('compute', 'future'));
    expect(isPluginIncompatibleError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PLUGIN_INCOMPATIBLE', pluginApiVersion: '1.9', platformApiVersion: '1.0' });
    expect((error as Error).message).toBe(
      'compute plugin "future" needs floe plugin API 1.9, but this platform offers 1.0; install a version of the plugin built for API 1.0',
    );
  });

  it('rejects a declared incompatible API version before importing the module', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'old'),
      declaring('old', [{ type: 'compute', name: 'old', floeApiVersion: '2.0' }]),
      {
        'index.js': "throw new Error('must not be imported');\n",
      },
    );
    await expect(new PluginRegistry({ cwd: project }).get('compute', 'old')).rejects.toThrow(PluginIncompatibleError);
  });

  it('accepts a plugin on a newer platform minor, and checks register() at once', async () => {
    const registry = new PluginRegistry({ discover: false, platformApiVersion: '1.2' });
    registry.register('compute', new Registered('duckdb', '1.1'));
    await expect(registry.get('compute', 'duckdb')).resolves.toMatchObject({ name: 'duckdb' });
    expect(() => registry.register('compute', new Registered('spark', '2.0'))).toThrow(PluginIncompatibleError);
    const malformed = (() => {
      try {
        registry.register('compute', new Registered('bad', 'one'));
      } catch (e) {
        return e as PluginIncompatibleError;
      }
      throw new Error('expected a throw');
    })();
    expect(malformed.cause).toBeInstanceOf(TypeError);
  });

  it('reports malformed declarations with their field paths and keeps the valid ones', async () => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'mixed'),
      declaring('mixed', [
        { type: 'sink', name: 'x' },
        { type: 'ingestion', name: 'ok' },
        { type: 'ingestion', name: 'Bad Name', exprt: '.' },
      ]),
    );
    const registry = new PluginRegistry({ cwd: project });
    expect(registry.list().map((e) => e.name)).toEqual(['ok']);
    const [issue] = registry.issues;
    expect(issue).toBeInstanceOf(PluginConfigurationError);
    expect(issue?.lines()).toEqual([
      `${join(project, 'node_modules', 'mixed', 'package.json')}: floe.plugins[0].type: must be one of "compute", "orchestrator", "catalog", "storage", "telemetry_backend", "lineage_backend", "dbt", "semantic_layer", "ingestion", "secrets", "identity" (got "sink")`,
      expect.stringMatching(/floe\.plugins\[2\]\.name: must be lower-case letters/),
      expect.stringMatching(/floe\.plugins\[2\]\.exprt: unknown key "exprt"/),
    ]);
  });

  it.each([
    [
      'an export missing from the exports map',
      { export: './nope' },
      {},
      'floe.plugins[0].export',
      '"./nope" is not in the package\'s exports map',
    ],
    [
      'a module without default or plugin export',
      {},
      { 'index.js': 'export const other = 1;\n' },
      'floe.plugins[0].export',
      'has no default export and no export named "plugin"',
    ],
    [
      'a missing named export',
      { exportName: 'Missing' },
      { 'index.js': 'export const other = 1;\n' },
      'floe.plugins[0].exportName',
      'has no export named "Missing"',
    ],
    [
      'an export that is not a plugin',
      {},
      { 'index.js': 'export default { name: "p" };\n' },
      'floe.plugins[0]',
      'the exported plugin lacks string version, floeApiVersion (extend PluginMetadata)',
    ],
    [
      'a plugin whose name differs from its declaration',
      {},
      { 'index.js': pluginClassModule('other') },
      'floe.plugins[0].name',
      'declares "p" but the plugin is named "other"',
    ],
  ])('throws PluginConfigurationError for %s', async (_label, entry, files, path, message) => {
    const project = await makeProject();
    await writePackage(
      join(project, 'node_modules', 'pkg'),
      declaring('pkg', [{ type: 'identity', name: 'p', ...entry }]),
      files,
    );
    const error = await rejection(new PluginRegistry({ cwd: project }).get('identity', 'p'));
    expect(isPluginConfigurationError(error)).toBe(true);
    expect((error as PluginConfigurationError).issues[0]).toMatchObject({
      path,
      message: expect.stringContaining(message),
    });
  });
});

describe('PluginRegistry registration', () => {
  it('registers instances and lazy loaders, loading each once', async () => {
    const registry = new PluginRegistry({ discover: false });
    let loads = 0;
    registry.registerLazy('orchestrator', 'dagster', () => {
      loads += 1;
      return Registered;
    });
    expect(registry.list()).toEqual([{ type: 'orchestrator', name: 'dagster', source: 'register()', loaded: false }]);
    await expect(registry.get('orchestrator', 'dagster')).rejects.toThrow(
      'orchestrator plugin "dagster" is not a floe plugin',
    );
    registry.registerLazy('orchestrator', 'airflow', () => new Registered('airflow'));
    const [a, b] = await Promise.all([
      registry.get('orchestrator', 'airflow'),
      registry.get('orchestrator', 'airflow'),
    ]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
  });
});
