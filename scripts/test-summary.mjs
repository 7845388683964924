// Sums the jest results every package wrote (coverage/jest-results.json) into one closing line.
// Exits 1 when a test failed, a suite failed to run, or no test ran at all.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0, failed = 0, skipped = 0, brokenSuites = 0;
for (const group of ['packages', 'plugins', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'coverage', 'jest-results.json');
    if (!existsSync(file)) continue;
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + (results.numTodoTests ?? 0);
    brokenSuites += results.numRuntimeErrorTestSuites ?? 0;
    console.log(`${group}/${name}: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`);
  }
}
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed + brokenSuites} failed, ${skipped} skipped`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
