import { formatIssue, type ValidationIssue } from '@floe/core';
import type { Terminal } from './terminal.js';

/** Prints each issue as `file: path: message` on stderr, warnings prefixed with `warning: `. */
export function printIssues(
  terminal: Terminal,
  issues: readonly ValidationIssue[],
  warnings: readonly ValidationIssue[] = [],
): void {
  for (const warning of warnings) terminal.err(`warning: ${formatIssue(warning)}`);
  for (const issue of issues) terminal.err(formatIssue(issue));
}

/** Issues as plain objects for JSON output. */
export function issuesJson(issues: readonly ValidationIssue[]): Record<string, unknown>[] {
  return issues.map((issue) => ({ ...issue, text: formatIssue(issue) }));
}
