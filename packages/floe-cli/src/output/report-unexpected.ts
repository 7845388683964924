import { describeError } from '../egress/describe-error.js';
import { ExitCode } from '../exit-code.js';
import type { Terminal } from './terminal.js';

/**
 * Prints an error nobody expected (a bug, or a failure no step translated) through the redacting
 * terminal and returns exit code 1. The stack is shown when `FLOE_DEBUG` is set.
 */
export function reportUnexpected(
  terminal: Terminal,
  error: unknown,
  env: Readonly<Record<string, string | undefined>>,
): number {
  terminal.err(`floe: unexpected error: ${describeError(error)}`);
  if (env.FLOE_DEBUG && error instanceof Error && error.stack) terminal.err(error.stack);
  return ExitCode.FAILED;
}
