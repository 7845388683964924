import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { floe, QUICKSTART, tempDir, writeProject } from './helpers.js';

/** Installs a package declaring a floe plugin into `<dir>/node_modules/<name>`. */
function installPlugin(dir: string, name: string, module: string, floeApiVersion = '1.0'): void {
  const pkg = join(dir, 'node_modules', name);
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name,
      version: '2.3.4',
      type: 'module',
      exports: { '.': './index.js' },
      floe: { plugins: [{ type: 'ingestion', name: name.replace(/^floe-/, ''), export: '.', floeApiVersion }] },
    }),
  );
  writeFileSync(join(pkg, 'index.js'), module);
}

const fourMethods = (name: string, sinkType: string) => `export default {
  name: '${name}', version: '2.3.4', floeApiVersion: '1.0',
  listAvailableSinks: () => ['${sinkType}'],
  createSink: async (config) => ({ sinkType: config.sinkType, name: config.name, close: async () => {} }),
  write: async () => { throw new Error('not in this test'); },
  getSourceConfig: () => ({ kind: 'local' }),
};
`;

describe('floe plugins', () => {
  it('lists the built-in plugin found through the CLI installation, with its sink types', async () => {
    const run = await floe(['plugins', '--spec', join(QUICKSTART, 'floe.yaml'), '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { plugins: Record<string, unknown>[]; problems: string[] };
    expect(report.problems).toEqual([]);
    expect(report.plugins).toContainEqual(
      expect.objectContaining({
        name: 'dlt',
        source: expect.stringMatching(/^@floe\/ingestion-dlt@/),
        ok: true,
        sinkTypes: ['rest_api', 'sql_database'],
      }),
    );
  });

  it('finds a plugin installed beside floe.yaml, and its sink type validates', async () => {
    const project = tempDir();
    try {
      installPlugin(project.dir, 'floe-acme', fourMethods('acme', 'acme_crm'));
      const spec = writeProject(
        project.dir,
        [{ name: 'crm', sink_type: 'acme_crm', connection_secret_ref: 'acme', source_table: 'gold.c' }],
        { sinks: ['acme_crm'] },
      );
      const plugins = await floe(['plugins', '--spec', spec, '--json']);
      expect(plugins.code).toBe(0);
      expect(JSON.parse(plugins.stdout).plugins).toContainEqual(
        expect.objectContaining({ name: 'acme', source: 'floe-acme@2.3.4', sinkTypes: ['acme_crm'] }),
      );
      const validate = await floe(['validate', '--spec', spec]);
      expect(validate.stderr).not.toMatch(/cannot be used|offered by/);
      expect(validate.code).toBe(0);
      expect(validate.stdout).toContain('crm: gold.c → acme_crm');
    } finally {
      project.cleanup();
    }
  });

  it('names both packages when two plugins offer one sink type, and the package of an incompatible plugin', async () => {
    const project = tempDir();
    try {
      installPlugin(project.dir, 'floe-one', fourMethods('one', 'rest_api'));
      installPlugin(project.dir, 'floe-future', fourMethods('future', 'future_sink'), '2.0');
      const spec = writeProject(project.dir, []);
      const plugins = await floe(['plugins', '--spec', spec, '--json']);
      expect(plugins.code).toBe(3);
      const { problems } = JSON.parse(plugins.stdout) as { problems: string[] };
      expect(problems).toContainEqual(
        expect.stringMatching(
          /sink type "rest_api" is offered by .*floe-one@2\.3\.4.*@floe\/ingestion-dlt@|sink type "rest_api" is offered by .*@floe\/ingestion-dlt@.*floe-one@2\.3\.4/,
        ),
      );
      expect(problems).toContainEqual(
        expect.stringMatching(/plugin "future" from floe-future@2\.3\.4 cannot be used: .*2\.0/),
      );
      const validate = await floe(['validate', '--spec', spec]);
      expect(validate.code).toBe(3);
      expect(validate.stderr).toMatch(/floe-one@2\.3\.4/);
    } finally {
      project.cleanup();
    }
  });

  it("lets the manifest's plugins.ingestion pick between two plugins offering one sink type", async () => {
    const project = tempDir();
    try {
      installPlugin(project.dir, 'floe-one', fourMethods('one', 'rest_api'));
      const destinations = [
        { name: 'crm', sink_type: 'rest_api', connection_secret_ref: 'crm', source_table: 'gold.c' },
      ];
      const picked = writeProject(project.dir, destinations, { plugins: { ingestion: { type: 'one' } } });
      const validate = await floe(['validate', '--spec', picked]);
      expect(validate.stderr).not.toMatch(/offered by/);
      expect(validate.code).toBe(0);
      const unpicked = writeProject(project.dir, destinations);
      const refused = await floe(['validate', '--spec', unpicked]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/pick one with the manifest's plugins\.ingestion\.type/);
    } finally {
      project.cleanup();
    }
  });

  it('names the package of a plugin whose module fails to load, and the plugin command still lists the others', async () => {
    const project = tempDir();
    try {
      installPlugin(project.dir, 'floe-broken', "throw new Error('boom at import');\n");
      const spec = writeProject(project.dir, []);
      const plugins = await floe(['plugins', '--spec', spec, '--json']);
      expect(plugins.code).toBe(3);
      const report = JSON.parse(plugins.stdout) as { plugins: Record<string, unknown>[]; problems: string[] };
      expect(report.problems).toContainEqual(
        expect.stringMatching(/plugin "broken" from floe-broken@2\.3\.4 cannot be used: .*boom at import/),
      );
      expect(report.plugins).toContainEqual(expect.objectContaining({ name: 'broken', ok: false }));
      expect(report.plugins).toContainEqual(expect.objectContaining({ name: 'dlt', ok: true }));
      const run = await floe(['egress', 'run', '--spec', spec, '--json']);
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/floe-broken@2\.3\.4/);
    } finally {
      project.cleanup();
    }
  });
});
