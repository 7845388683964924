import { ErrorCategory } from '@floe/core';
import { SINK_CONFIGURATION_ERROR, brand, hasBrand } from './error-brand.js';
import { IngestionError, type IngestionErrorOptions } from './ingestion-error.js';

/** One problem in a sink configuration: a dotted `path` (e.g. `retry.max_attempts`) and what is wrong. */
export interface ConfigurationIssue {
  readonly path: string;
  readonly message: string;
}

/** Options of {@link SinkConfigurationError}. */
export interface SinkConfigurationErrorOptions extends IngestionErrorOptions {
  readonly issues?: readonly ConfigurationIssue[];
}

/**
 * The sink is misconfigured: unknown sink type, invalid config, a mapped column missing from the data,
 * a 400/404/422 answer. Category CONFIGURATION; never retried. The message lists every issue as `path: message`.
 *
 * @example
 * ```ts
 * if (isSinkConfigurationError(e)) for (const issue of e.issues) console.error(`${issue.path}: ${issue.message}`);
 * ```
 */
export class SinkConfigurationError extends IngestionError {
  readonly issues: readonly ConfigurationIssue[];

  constructor(message: string, options: SinkConfigurationErrorOptions = {}) {
    const issues = Object.freeze((options.issues ?? []).map((issue) => Object.freeze({ ...issue })));
    const listed = issues.length === 0 ? '' : `: ${issues.map(formatConfigurationIssue).join('; ')}`;
    super(`${message}${listed}`, {
      ...options,
      code: options.code ?? 'SINK_CONFIGURATION',
      category: options.category ?? ErrorCategory.CONFIGURATION,
    });
    this.issues = issues;
    brand(this, SINK_CONFIGURATION_ERROR);
  }
}

/** `path: message`, or just the message for an issue at the root. */
export function formatConfigurationIssue(issue: ConfigurationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** True for any {@link SinkConfigurationError}, from any copy of this package. */
export function isSinkConfigurationError(error: unknown): error is SinkConfigurationError {
  return hasBrand(error, SINK_CONFIGURATION_ERROR);
}
