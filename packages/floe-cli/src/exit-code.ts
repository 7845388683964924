/**
 * The process exit codes of `floe`.
 *
 * - `OK` (0): every destination delivered every row (or `validate` / `plan` found nothing wrong).
 * - `FAILED` (1): a delivery failed (unreachable destination, rejected batch, unexpected error).
 * - `PARTIAL` (2): every destination finished, but some rows were rejected.
 * - `CONFIGURATION` (3): floe.yaml, manifest.yaml, a secret, the source table or the mapping is
 *   wrong; found before any row was sent.
 * - `INTERRUPTED` (130): stopped by Ctrl-C (SIGINT) between batches.
 */
export const ExitCode = {
  OK: 0,
  FAILED: 1,
  PARTIAL: 2,
  CONFIGURATION: 3,
  INTERRUPTED: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const SEVERITY: readonly ExitCode[] = [
  ExitCode.OK,
  ExitCode.PARTIAL,
  ExitCode.FAILED,
  ExitCode.CONFIGURATION,
  ExitCode.INTERRUPTED,
];

/** The more severe of two exit codes: interrupted > configuration > failed > partial > ok. */
export function worstExitCode(a: ExitCode, b: ExitCode): ExitCode {
  return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
}

/**
 * The exit code of a failure before or during delivery, from its error category: `CONFIGURATION` → 3 (fix the
 * configuration and rerun); any other category → 1. A failure with no category is `uncategorised` (3 before any
 * row was sent — a bad input — by default).
 *
 * @example
 * ```ts
 * exitCodeForCategory('TRANSIENT'); // 1
 * exitCodeForCategory(undefined); // 3
 * ```
 */
export function exitCodeForCategory(
  category: string | undefined,
  uncategorised: ExitCode = ExitCode.CONFIGURATION,
): ExitCode {
  if (category === undefined) return uncategorised;
  return category === 'CONFIGURATION' ? ExitCode.CONFIGURATION : ExitCode.FAILED;
}
