import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { floe, tempDir } from './helpers.js';

describe('floe init', () => {
  let project: { dir: string; cleanup: () => void };
  beforeEach(() => {
    project = tempDir();
  });
  afterEach(() => project.cleanup());

  it.each(['rest_api', 'sql_database'])(
    'scaffolds a floe.yaml (a %s destination) and a manifest.yaml that floe validate accepts',
    async (sinkType) => {
      const dir = join(project.dir, 'my product');
      const init = await floe(['init', dir, '--sink-type', sinkType]);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(readFileSync(join(dir, 'floe.yaml'), 'utf8')).toContain(`sink_type: ${sinkType}`);
      const validate = await floe(['validate', '--spec', join(dir, 'floe.yaml'), '--json']);
      expect(validate.code).toBe(0);
      expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true });
    },
  );

  it('refuses to overwrite an existing floe.yaml (exit 3, file unchanged, manifest not written)', async () => {
    writeFileSync(join(project.dir, 'floe.yaml'), 'mine\n');
    const init = await floe(['init'], { cwd: project.dir });
    expect(init.code).toBe(3);
    expect(init.stderr).toMatch(/^floe init: floe\.yaml already exists: nothing was overwritten/);
    expect(readFileSync(join(project.dir, 'floe.yaml'), 'utf8')).toBe('mine\n');
    expect(() => readFileSync(join(project.dir, 'manifest.yaml'))).toThrow();
  });

  it('names the installed sink types when --sink-type is unknown', async () => {
    const init = await floe(['init', project.dir, '--sink-type', 'nope']);
    expect(init.code).toBe(3);
    expect(init.stderr).toMatch(/--sink-type: unknown sink type "nope" \(installed: .*rest_api/);
  });
});
