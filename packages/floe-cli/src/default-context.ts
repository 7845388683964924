import type { CliContext } from './context.js';
import { createDefaultEngine } from './egress/default-engine.js';
import { processSecretSource } from './secrets/secret-source.js';

/** The real process: its working directory, environment, stdout/stderr, and the built-in engine. */
export function defaultContext(signal: AbortSignal): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets: processSecretSource(process.env),
    createEngine: createDefaultEngine,
    signal,
    now: () => new Date(),
  };
}
