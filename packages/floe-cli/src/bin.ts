#!/usr/bin/env node
import { defaultContext } from './default-context.js';
import { ExitCode } from './exit-code.js';
import { runCli } from './program.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    process.stderr.write('\nStopping after the current batch… (Ctrl-C again to stop at once)\n');
    controller.abort(new Error('interrupted by Ctrl-C'));
  } else {
    process.exit(ExitCode.INTERRUPTED);
  }
});

let code: number;
try {
  code = await runCli(process.argv.slice(2), defaultContext(controller.signal));
} catch (error) {
  // Commands report their own errors through the redacting terminal; this is the last resort (message only).
  process.stderr.write(`floe: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  code = ExitCode.FAILED;
}
process.exitCode = code;
// Everything is flushed by now (spans, receipts); do not wait on a stray handle (an idle pool, a timer).
setTimeout(() => process.exit(code), 2_000).unref();
