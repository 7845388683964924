import { describe, expect, it } from '@jest/globals';
import { loadProject } from '../../src/project/load-project.js';

const spec = (extra = '') => `apiVersion: floe.dev/v1
kind: FloeSpec
metadata: { name: demo, version: 1.0.0 }
platform: { manifest: platform/manifest.yaml }
transforms: [{ name: orders }]
destinations:
  - name: crm
    sink_type: rest_api
    connection_secret_ref: crm-api
    source_table: gold.orders
    config: { url: "https://api.example.com/orders" }
${extra}`;

const manifest = (sinks: string) => `apiVersion: floe.dev/v1
kind: Manifest
metadata: { name: platform, version: 1.0.0, owner: team }
scope: enterprise
plugins: {}
approved_sinks: [${sinks}]
`;

function files(map: Record<string, string>) {
  return async (path: string) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  };
}

const sinks = [{ sinkType: 'rest_api' }, { sinkType: 'sql_database' }];
const paths = { specFile: '/proj/floe.yaml', baseDir: '/proj' };

describe('loadProject', () => {
  it('compiles the plan with the manifest named by platform.manifest, relative to floe.yaml', async () => {
    const result = await loadProject({
      paths,
      cwd: '/proj',
      availableSinks: sinks,
      readText: files({ '/proj/floe.yaml': spec(), '/proj/platform/manifest.yaml': manifest('rest_api') }),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.project.manifestFile).toBe('/proj/platform/manifest.yaml');
    expect(result.project.plan.destinations[0]).toMatchObject({
      name: 'crm',
      sinkType: 'rest_api',
      sourceTable: 'gold.orders',
    });
  });

  it('reports an unapproved sink type as file: path: message', async () => {
    const result = await loadProject({
      paths,
      cwd: '/proj',
      availableSinks: sinks,
      readText: files({ '/proj/floe.yaml': spec(), '/proj/platform/manifest.yaml': manifest('sql_database') }),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: 'floe.yaml', path: 'destinations[0].sink_type' });
    expect(result.issues[0]?.message).toMatch(/not approved/);
  });

  it('uses --manifest relative to the working directory over platform.manifest', async () => {
    const result = await loadProject({
      paths,
      cwd: '/elsewhere',
      manifest: 'm.yaml',
      availableSinks: sinks,
      readText: files({ '/proj/floe.yaml': spec(), '/elsewhere/m.yaml': manifest('rest_api') }),
    });
    expect(result.ok && result.project.manifestFile).toBe('/elsewhere/m.yaml');
  });

  it('says which file is missing and who named it', async () => {
    const result = await loadProject({
      paths,
      cwd: '/proj',
      availableSinks: sinks,
      readText: files({ '/proj/floe.yaml': spec() }),
    });
    expect(!result.ok && result.issues[0]).toEqual({
      file: 'platform/manifest.yaml',
      path: '',
      message: 'file not found (named by platform.manifest)',
    });
    const missing = await loadProject({ paths, cwd: '/', availableSinks: sinks, readText: files({}) });
    expect(!missing.ok && missing.issues[0]).toEqual({ file: 'proj/floe.yaml', path: '', message: 'file not found' });
  });

  it('rejects an inline credential in floe.yaml', async () => {
    const text = spec().replace('url: "https://api.example.com/orders"', 'url: "https://x", password: hunter2');
    const result = await loadProject({
      paths,
      cwd: '/proj',
      availableSinks: sinks,
      readText: files({ '/proj/floe.yaml': text, '/proj/platform/manifest.yaml': manifest('rest_api') }),
    });
    expect(!result.ok && result.issues.some((issue) => issue.path === 'destinations[0].config.password')).toBe(true);
  });
});
