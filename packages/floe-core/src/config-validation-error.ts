import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';

/** One problem found while validating configuration. */
export interface ValidationIssue {
  /** The file the value came from, when there is one (`floe.yaml`). */
  readonly file?: string;
  /** Where in the document, e.g. `destinations[1].batch_size`; empty for the document itself. */
  readonly path: string;
  /** What is wrong and, where it helps, how to fix it. */
  readonly message: string;
  /** 1-based line in `file`, when the issue came from a parsed YAML document. */
  readonly line?: number;
  /** 1-based column in `file`, when known. */
  readonly column?: number;
}

/** Formats an issue as `file: path: message` (omitting the parts that are absent). */
export function formatIssue(issue: ValidationIssue): string {
  return [issue.file, issue.path, issue.message].filter((part) => part !== undefined && part !== '').join(': ');
}

/**
 * Configuration did not validate. Carries every issue found, not just the first.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ConfigValidationError) for (const line of e.lines()) console.error(line); }
 * ```
 */
export class ConfigValidationError extends FloeError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], options: { cause?: unknown; subject?: string } = {}) {
    const list = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    const head = options.subject ? `${options.subject} is invalid` : 'invalid configuration';
    super(`${head}:\n${list.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`, 'CONFIG_INVALID', {
      category: ErrorCategory.CONFIGURATION,
      cause: options.cause,
    });
    this.issues = list;
  }

  /** Each issue as one `file: path: message` line. */
  lines(): string[] {
    return this.issues.map(formatIssue);
  }
}
