import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../e2e/helpers.js';

const READMES = ['README.md', 'packages/floe-cli/README.md', 'examples/quickstart/README.md'];

describe('README commands', () => {
  it('run floe through pnpm only as `pnpm -s floe`, when pnpm would print its banner on stdout', () => {
    for (const file of READMES) {
      const text = readFileSync(join(REPO, file), 'utf8');
      expect({ file, lines: text.split('\n').filter((line) => /\bpnpm (run )?floe\b/.test(line)) }).toEqual({
        file,
        lines: [],
      });
    }
  });
});
