import type { SinkCheckInput, SinkCheckIssue } from '@floe/core';
import { restAuthIssues } from './rest-config-schema.js';

/**
 * What a `rest_api` destination would refuse before its first request beyond its config schema: once the
 * connection secret is resolved, its credentials must be exactly one method (`token`, `username` +
 * `password`, or `api_key`), the rule the sink applies to its connection ({@link restApiConnectionSchema}).
 * Reported at `connection_secret_ref`.
 *
 * @example
 * ```ts
 * checkRestApi({ config: {}, disposition: 'append', connection: { token: 't', api_key: 'k' } });
 * // [{ path: 'connection_secret_ref', message: 'the secret must hold one of: token, username + password, api_key' }]
 * ```
 */
export function checkRestApi(input: SinkCheckInput): SinkCheckIssue[] {
  if (input.connection === undefined) return [];
  return restAuthIssues(input.connection).map((issue) => ({
    path: 'connection_secret_ref',
    message: issue.key === undefined ? issue.message : `${issue.key}: ${issue.message}`,
  }));
}
