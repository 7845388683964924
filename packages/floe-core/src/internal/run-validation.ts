import type { ZodType } from 'zod';
import type { ValidationIssue } from '../config-validation-error.js';
import type { ValidationResult } from '../validation-result.js';
import { deepFreeze } from './deep-freeze.js';
import { formatPath } from './format-path.js';
import { toIssues, type IssueContext, type RawIssue } from './raw-issue.js';
import { fromZodIssues } from './zod-issues.js';

/** The steps of one document kind: checks on the raw document, the schema, rules on the typed value. */
export interface ValidationSteps<T> {
  /** Checks of the raw document that run before the schema (errors). */
  readonly before: (document: unknown) => RawIssue[];
  /** Warnings about the raw document. */
  readonly warn?: (document: unknown) => RawIssue[];
  readonly schema: ZodType<T>;
  /** Cross-field rules, run when the schema accepts the document. */
  readonly rules: readonly ((value: T) => RawIssue[])[];
}

/**
 * schema → rules, collecting every issue. Schema issues at a path already reported by `before`
 * (e.g. an unknown key that is also a forbidden credential key) are dropped as duplicates.
 */
export function runValidation<T>(
  document: unknown,
  steps: ValidationSteps<T>,
  context: IssueContext,
): ValidationResult<T> {
  const early = steps.before(document);
  const reported = new Set(early.map((issue) => formatPath(issue.segments)));
  const parsed = steps.schema.safeParse(document);
  const errors: RawIssue[] = [...early];
  if (parsed.success) {
    for (const rule of steps.rules) errors.push(...rule(parsed.data));
  } else {
    errors.push(
      ...fromZodIssues(parsed.error.issues, document).filter((issue) => !reported.has(formatPath(issue.segments))),
    );
  }
  const warnings = toIssues(steps.warn?.(document) ?? [], context);
  if (errors.length > 0 || !parsed.success) return { ok: false, issues: byLine(toIssues(errors, context)), warnings };
  return { ok: true, value: deepFreeze(parsed.data), warnings };
}

/** Orders located issues by line (stable), so they read top to bottom like the file. */
function byLine(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.every((issue) => issue.line !== undefined)
    ? issues
        .map((issue, index) => ({ issue, index }))
        .sort((a, b) => a.issue.line! - b.issue.line! || a.index - b.index)
        .map((x) => x.issue)
    : issues;
}
