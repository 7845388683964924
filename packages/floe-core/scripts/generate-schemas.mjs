// Writes the JSON Schemas of floe.yaml and manifest.yaml from the built zod schemas (run after tsc).
// `node scripts/generate-schemas.mjs --check` fails instead when a committed file is out of date.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { floeSpecJsonSchema, manifestJsonSchema } from '../dist/index.js';

const outputs = {
  'floe-spec.schema.json': floeSpecJsonSchema(),
  'manifest.schema.json': manifestJsonSchema(),
};
const dir = new URL('../schemas/', import.meta.url);
const check = process.argv.includes('--check');
await mkdir(dir, { recursive: true });
let stale = 0;
for (const [name, schema] of Object.entries(outputs)) {
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const file = new URL(name, dir);
  if (check) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`schemas/${name} is out of date: run the build`);
      stale += 1;
    }
  } else {
    await writeFile(file, text);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
