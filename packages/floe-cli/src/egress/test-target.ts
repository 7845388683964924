import type { PlannedDestination, SinkTargetCheck } from '@floe/core';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../exit-code.js';
import { describeError } from './describe-error.js';
import type { EgressEngine } from './engine.js';

/** What the sink type's {@link SinkTypeDescriptor.testTarget} found, or that it has none. */
export interface TargetTest {
  /** False when the sink type offers no test (not an error: nothing was checked). */
  readonly supported: boolean;
  readonly checks: readonly SinkTargetCheck[];
  /** 0, 3 when a failed check is a configuration problem, 1 when the target is unreachable or refused. */
  readonly exitCode: ExitCode;
}

/**
 * Runs the destination's sink-type test (read-only: it connects, it never writes) with the resolved
 * `connection` and the mapped `columns` (absent when the source could not be read). A sink type without
 * `testTarget` is reported as not supported; a test that throws is a failed `connect` check (exit 1).
 */
export async function testTarget(
  engine: EgressEngine,
  planned: PlannedDestination,
  connection: Readonly<Record<string, string>>,
  columns: readonly string[] | undefined,
  signal: AbortSignal,
): Promise<TargetTest> {
  const descriptor = engine.descriptor(planned.sinkType);
  if (descriptor?.testTarget === undefined) return { supported: false, checks: [], exitCode: ExitCode.OK };
  let checks: readonly SinkTargetCheck[];
  try {
    checks = await descriptor.testTarget(planned.config, connection, {
      ...(columns !== undefined && { columns }),
      signal,
    });
  } catch (error) {
    checks = [{ check: 'connect', ok: false, message: describeError(error), category: 'TRANSIENT' }];
  }
  return { supported: true, checks, exitCode: checksExitCode(checks) };
}

/** The exit code of a list of checks: the worst of the failed ones (a failed check without a category is 3). */
export function checksExitCode(checks: readonly SinkTargetCheck[]): ExitCode {
  let code: ExitCode = ExitCode.OK;
  for (const check of checks) if (!check.ok) code = worstExitCode(code, exitCodeForCategory(check.category));
  return code;
}

/** `✔ table: table public.contacts exists` / `✘ …` (a message's further lines indented under it). */
export function checkLine(check: SinkTargetCheck): string {
  return `${check.ok ? '✔' : '✘'} ${check.check}: ${check.message.replace(/\n/g, '\n    ')}`;
}

/** The line of a sink type without a test. */
export function unsupportedLine(sinkType: string): string {
  return `- target: not supported by sink type ${sinkType} (nothing checked)`;
}
