import { describe, expect, it } from '@jest/globals';
import { FLOE_PACKAGE_FIELD, readPluginDeclarations } from '../src/index.js';

describe('readPluginDeclarations', () => {
  it('reads declarations with defaults and package facts', () => {
    const json = {
      name: '@floe/ingestion-dlt',
      version: '0.1.0',
      [FLOE_PACKAGE_FIELD]: { plugins: [{ type: 'ingestion', name: 'dlt' }] },
    };
    const { declarations, issues } = readPluginDeclarations(json, '/pkg');
    expect(issues).toEqual([]);
    expect(declarations).toEqual([
      {
        type: 'ingestion',
        name: 'dlt',
        export: '.',
        index: 0,
        packageName: '@floe/ingestion-dlt',
        packageVersion: '0.1.0',
        packageDir: '/pkg',
      },
    ]);
  });

  it('ignores packages without a floe field', () => {
    expect(readPluginDeclarations({ name: 'x' }, '/x')).toEqual({ declarations: [], issues: [] });
    expect(readPluginDeclarations('not json', '/x')).toEqual({ declarations: [], issues: [] });
  });

  it('reports a malformed field with paths, falling back to directory and 0.0.0', () => {
    const { declarations, issues } = readPluginDeclarations({ floe: { plugins: 'dlt' } }, '/x', '/x/package.json');
    expect(declarations).toEqual([]);
    expect(issues).toEqual([{ file: '/x/package.json', path: 'floe.plugins', message: 'must be a list (got "dlt")' }]);
    const partial = readPluginDeclarations(
      {
        floe: {
          plugins: [
            { type: 'dbt', name: 'core', export: 'dist/x.js' },
            { type: 'dbt', name: 'ok' },
          ],
        },
      },
      '/x',
    );
    expect(partial.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'floe.plugins[0].export: must be "." or a subpath of the package\'s exports map such as "./plugin"',
    ]);
    expect(partial.declarations).toMatchObject([{ name: 'ok', index: 1, packageName: '/x', packageVersion: '0.0.0' }]);
  });

  it('validates exportName and floeApiVersion', () => {
    const { issues } = readPluginDeclarations(
      { floe: { plugins: [{ type: 'dbt', name: 'x', exportName: 'a-b', floeApiVersion: '1' }] } },
      '/x',
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'floe.plugins[0].exportName: must be a JavaScript export name',
      'floe.plugins[0].floeApiVersion: must be "MAJOR.MINOR", e.g. "1.0"',
    ]);
  });
});
