import type { ZodType } from 'zod';
import type { SinkConfig } from '@floe/core';
import { SinkConfigurationError, type ConfigurationIssue } from '../errors/sink-configuration-error.js';

/** zod issue path → `a.b[0].c`. */
export function formatZodPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
}

/**
 * Validates `config.connectionConfig` with a sink type's schema; throws a {@link SinkConfigurationError}
 * listing every issue (`config.<path>: message`) — never echoing values, which may be secrets.
 */
export function parseSinkConnection<T>(schema: ZodType<T>, config: SinkConfig): T {
  const result = schema.safeParse(config.connectionConfig);
  if (result.success) return result.data;
  const issues: ConfigurationIssue[] = result.error.issues.map((issue) => ({
    path: formatZodPath(['config', ...issue.path]),
    message: issue.message,
  }));
  throw new SinkConfigurationError(`invalid ${config.sinkType} configuration`, {
    issues,
    sinkType: config.sinkType,
    destination: config.name,
  });
}
