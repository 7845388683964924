import type { CliContext } from './context.js';
import { createDefaultEngine } from './egress/default-engine.js';
import { guardStream } from './output/guarded-stream.js';
import { processSecretSource } from './secrets/secret-source.js';

/** The real process: its working directory, environment, stdout/stderr, and the built-in engine. */
export function defaultContext(signal: AbortSignal): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    // A closed pipe (`floe egress run --json | head -1`) stops the output, never the delivery.
    stdout: guardStream(process.stdout),
    stderr: guardStream(process.stderr),
    secrets: processSecretSource(process.env),
    createEngine: createDefaultEngine,
    signal,
    now: () => new Date(),
  };
}
