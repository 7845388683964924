import type { ValidationIssue } from './config-validation-error.js';

/**
 * The outcome of validating a configuration document: the typed value, or every issue found.
 * Warnings never fail validation. Format issues with `formatIssue` (`file: path: message`).
 */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly ValidationIssue[] }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[]; readonly warnings: readonly ValidationIssue[] };

/** Options of the `parse*` / `validate*` functions. */
export interface ValidateOptions {
  /** The file name used in every issue; defaults to `floe.yaml` / `manifest.yaml`. */
  readonly file?: string;
}
