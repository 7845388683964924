import type { ValidationIssue } from '../config-validation-error.js';
import { formatPath, type PathSegment } from './format-path.js';

/** An issue before it is given a file and a formatted path. */
export interface RawIssue {
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

/** Finds the 1-based line and column of a document path, when the source is known. */
export type Locator = (segments: readonly PathSegment[]) => { line: number; column: number } | undefined;

/** Where issues are reported: the file name and, optionally, how to find lines in it. */
export interface IssueContext {
  readonly file?: string;
  readonly locate?: Locator;
}

/** Turns raw issues into {@link ValidationIssue}s carrying file, path and (when known) line/column. */
export function toIssues(raw: readonly RawIssue[], context: IssueContext): ValidationIssue[] {
  return raw.map((issue) => {
    const position = context.locate?.(issue.segments);
    return {
      ...(context.file !== undefined && { file: context.file }),
      path: formatPath(issue.segments),
      message: issue.message,
      ...(position && { line: position.line, column: position.column }),
    };
  });
}
