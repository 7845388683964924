// Sums the jest results every package wrote (coverage/jest-results.json) into one closing line.
// A package with a `test` script but no results did not run its tests (e.g. its build failed): that
// counts as a failure. Exits 1 when a test failed, a suite or package did not run, or no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const notRun = [];
for (const group of ['packages', 'plugins', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const manifest = join(dir, name, 'package.json');
    if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
    const file = join(dir, name, 'coverage', 'jest-results.json');
    if (!existsSync(file)) {
      notRun.push(`${group}/${name}`);
      continue;
    }
    const results = JSON.parse(readFileSync(file, 'utf8'));
    const broken = results.numRuntimeErrorTestSuites ?? 0;
    passed += results.numPassedTests;
    failed += results.numFailedTests + broken;
    skipped += results.numPendingTests + (results.numTodoTests ?? 0);
    console.log(
      `${group}/${name}: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped` +
        (broken > 0 ? `, ${broken} suite(s) failed to run` : ''),
    );
  }
}
for (const name of notRun)
  console.log(`${name}: did not run its tests (see the log above: a build or typecheck failed)`);
failed += notRun.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
