import type { ValidationResult } from '../validation-result.js';
import type { RawIssue } from './raw-issue.js';

/** A failed result for YAML syntax errors (they carry their own line and column). */
export function yamlFailure<T>(
  errors: readonly (RawIssue & { line?: number; column?: number })[],
  file: string,
): ValidationResult<T> {
  return {
    ok: false,
    issues: errors.map((error) => ({
      file,
      path: '',
      message: error.message,
      ...(error.line !== undefined && { line: error.line }),
      ...(error.column !== undefined && { column: error.column }),
    })),
    warnings: [],
  };
}
