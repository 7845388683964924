import { inspect } from 'node:util';
import { ConfigValidationError, type ValidationIssue } from './config-validation-error.js';

/** Retry policy of a sink. Delays grow exponentially with jitter from `initialDelayMs` to `maxDelayMs`. */
export interface RetryConfig {
  /** Attempts in all, including the first (1 = no retry). Default 5. */
  readonly maxAttempts: number;
  /** Delay before the first retry, in milliseconds. Default 500. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay, in milliseconds. Default 30000. */
  readonly maxDelayMs: number;
}

/** The retry policy used when a {@link SinkConfig} gives none. */
export const DEFAULT_RETRY_CONFIG: Readonly<RetryConfig> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Smallest and largest allowed `batchSize`. */
export const BATCH_SIZE_LIMITS = Object.freeze({ min: 1, max: 100_000 });

/** A destination field name a mapping may target. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What {@link SinkConfig}'s constructor takes. */
export interface SinkConfigInit {
  /** The sink type, one of the connector's `listAvailableSinks()`, e.g. `rest_api`. */
  readonly sinkType: string;
  /** Sink-specific settings, including resolved secrets. Redacted from `toJSON()` and `inspect()`. */
  readonly connectionConfig?: Readonly<Record<string, unknown>>;
  /** Source column → destination field. */
  readonly fieldMapping?: Readonly<Record<string, string>>;
  /** Retry policy; omitted fields take {@link DEFAULT_RETRY_CONFIG}'s values. */
  readonly retryConfig?: Partial<RetryConfig>;
  /** Rows per batch (1..100000); absent = all rows at once. */
  readonly batchSize?: number;
  /** The destination's name (from `floe.yaml`); defaults to the sink type. */
  readonly name?: string;
}

const REDACTED = '[redacted]';

/**
 * A validated sink configuration. Invalid values are rejected when constructed with a
 * {@link ConfigValidationError} listing every problem.
 *
 * @example
 * ```ts
 * const config = new SinkConfig({
 *   sinkType: 'rest_api',
 *   connectionConfig: { url: 'https://api.example.com/v1/contacts', token: secret },
 *   fieldMapping: { email_address: 'email' },
 *   batchSize: 100,
 * });
 * ```
 */
export class SinkConfig {
  readonly sinkType: string;
  readonly connectionConfig: Readonly<Record<string, unknown>>;
  readonly fieldMapping: Readonly<Record<string, string>> | undefined;
  readonly retryConfig: Readonly<RetryConfig> | undefined;
  readonly batchSize: number | undefined;
  readonly name: string;

  constructor(init: SinkConfigInit) {
    const issues = validateSinkConfigInit(init);
    if (issues.length > 0) throw new ConfigValidationError(issues, { subject: 'SinkConfig' });
    this.sinkType = init.sinkType;
    this.name = init.name ?? init.sinkType;
    this.connectionConfig = Object.freeze({ ...(init.connectionConfig ?? {}) });
    this.fieldMapping = init.fieldMapping ? Object.freeze({ ...init.fieldMapping }) : undefined;
    this.retryConfig = init.retryConfig ? Object.freeze({ ...DEFAULT_RETRY_CONFIG, ...init.retryConfig }) : undefined;
    this.batchSize = init.batchSize;
    Object.freeze(this);
  }

  /** A copy with some fields replaced (validated again). */
  with(changes: Partial<SinkConfigInit>): SinkConfig {
    return new SinkConfig({
      sinkType: this.sinkType,
      name: this.name,
      connectionConfig: this.connectionConfig,
      ...(this.fieldMapping && { fieldMapping: this.fieldMapping }),
      ...(this.retryConfig && { retryConfig: this.retryConfig }),
      ...(this.batchSize !== undefined && { batchSize: this.batchSize }),
      ...changes,
    });
  }

  /** JSON without secrets: connection values are replaced by `[redacted]`. */
  toJSON(): Record<string, unknown> {
    return {
      sinkType: this.sinkType,
      name: this.name,
      connectionConfig: Object.fromEntries(Object.keys(this.connectionConfig).map((key) => [key, REDACTED])),
      fieldMapping: this.fieldMapping,
      retryConfig: this.retryConfig,
      batchSize: this.batchSize,
    };
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}

function validateSinkConfigInit(init: SinkConfigInit): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof init.sinkType !== 'string' || init.sinkType.trim() === '') {
    issues.push({ path: 'sinkType', message: 'must be a non-empty string, e.g. "rest_api"' });
  }
  if (init.name !== undefined && (typeof init.name !== 'string' || init.name.trim() === '')) {
    issues.push({ path: 'name', message: 'must be a non-empty string when given' });
  }
  const { batchSize } = init;
  if (
    batchSize !== undefined &&
    (!Number.isInteger(batchSize) || batchSize < BATCH_SIZE_LIMITS.min || batchSize > BATCH_SIZE_LIMITS.max)
  ) {
    issues.push({
      path: 'batchSize',
      message: `must be an integer from ${BATCH_SIZE_LIMITS.min} to ${BATCH_SIZE_LIMITS.max} (got ${String(batchSize)}); omit it to send all rows at once`,
    });
  }
  for (const [source, target] of Object.entries(init.fieldMapping ?? {})) {
    if (typeof target !== 'string' || !FIELD_NAME_PATTERN.test(target)) {
      issues.push({
        path: `fieldMapping.${source}`,
        message: `target "${String(target)}" must match ${FIELD_NAME_PATTERN.source} (letters, digits, underscore; not starting with a digit)`,
      });
    }
  }
  const targets = Object.values(init.fieldMapping ?? {});
  const duplicate = targets.find((target, index) => targets.indexOf(target) !== index);
  if (duplicate !== undefined) {
    issues.push({ path: 'fieldMapping', message: `two columns map to the same field "${duplicate}"` });
  }
  issues.push(...validateRetry(init.retryConfig));
  return issues;
}

function validateRetry(retry: Partial<RetryConfig> | undefined): ValidationIssue[] {
  if (retry === undefined) return [];
  const issues: ValidationIssue[] = [];
  const merged = { ...DEFAULT_RETRY_CONFIG, ...retry };
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1 || merged.maxAttempts > 100) {
    issues.push({ path: 'retryConfig.maxAttempts', message: 'must be an integer from 1 to 100' });
  }
  for (const key of ['initialDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(merged[key]) || merged[key] < 0) {
      issues.push({ path: `retryConfig.${key}`, message: 'must be a number ≥ 0' });
    }
  }
  if (merged.initialDelayMs > merged.maxDelayMs) {
    issues.push({ path: 'retryConfig', message: 'initialDelayMs must not exceed maxDelayMs' });
  }
  return issues;
}
