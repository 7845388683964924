import { ErrorCategory } from '@floe/core';
import {
  SinkConfigurationError,
  SinkConnectionError,
  SinkWriteError,
  categorizeError,
  isIngestionError,
  safeCause,
  sanitizeErrorMessage,
  type IngestionError,
} from '../../../errors/index.js';
import { CommitUnknownError } from '../dialects/commit-unknown-error.js';
import { isMysqlConnectionLoss } from '../dialects/mysql-errors.js';
import { isPostgresConnectionLoss } from '../dialects/postgres-errors.js';
import { driverError } from './attempt-failure.js';

/** Where a SQL failure happened, for the translated error. */
export interface SqlErrorContext {
  readonly sinkType: string;
  readonly destination: string;
  /** What was being done, e.g. `writing batch 3 to crm.customers`. */
  readonly action: string;
  /** Values to redact (the password, the URL). */
  readonly secrets: readonly string[];
}

/** Socket-level failures and lost connections (per dialect): the database could not be reached or went away. */
function isConnectionFailure(error: Record<string, unknown>): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (isPostgresConnectionLoss(code) || isMysqlConnectionLoss(code)) return true;
  if (/^E[A-Z]+$/.test(code)) return true;
  if (error.fatal === true) return true;
  return (
    typeof error.message === 'string' &&
    /Connection terminated|Client has encountered a connection error|not queryable/i.test(error.message)
  );
}

/**
 * Translates any failure of the `sql_database` sink — pg, mysql2, better-sqlite3, knex — into the plugin's
 * errors, in one place: configuration errors (SQLSTATE 42 / 3D / 3F, unknown table or column) →
 * {@link SinkConfigurationError}; unreachable or dropped connections → {@link SinkConnectionError};
 * everything else → {@link SinkWriteError} with {@link categorizeError}'s category. A COMMIT whose outcome
 * is unknown is PERMANENT (never retried). Messages are sanitised; the cause keeps no connection settings.
 */
export function translateSqlError(error: unknown, context: SqlErrorContext): IngestionError {
  if (isIngestionError(error)) return error;
  const attempts = (error as { attempts?: unknown } | null)?.attempts;
  const base = {
    sinkType: context.sinkType,
    destination: context.destination,
    ...(typeof attempts === 'number' && { attempts }),
  };
  const cause = driverError(error);
  if (cause instanceof CommitUnknownError) {
    return new SinkWriteError(`${context.action}: ${cause.message}`, {
      ...base,
      category: ErrorCategory.PERMANENT,
      code: 'SQL_COMMIT_UNKNOWN',
      cause: safeCause(cause.cause, context.secrets),
    });
  }
  const record = (typeof cause === 'object' && cause !== null ? cause : { message: String(cause) }) as Record<
    string,
    unknown
  >;
  const code =
    typeof record.code === 'string'
      ? ` [${record.code}]`
      : typeof record.errno === 'number'
        ? ` [errno ${record.errno}]`
        : '';
  const text = sanitizeErrorMessage(`${context.action}: ${String(record.message ?? cause)}${code}`, context.secrets);
  const options = { ...base, cause: safeCause(cause, context.secrets) };
  const category = categorizeError(cause);
  if (category === ErrorCategory.CONFIGURATION) return new SinkConfigurationError(text, options);
  if (isConnectionFailure(record)) return new SinkConnectionError(text, options);
  return new SinkWriteError(text, { ...options, category });
}
