import type { SinkCheckInput, SinkCheckIssue } from '@floe/core';
import { restAuthIssues } from './rest-config-schema.js';
import { templateIssues } from './rest-operations.js';

/**
 * What a `rest_api` destination would refuse before its first request beyond its config schema: once the
 * connection secret is resolved, its credentials must be exactly one method (`token`, `username` +
 * `password`, or `api_key`), the rule the sink applies to its connection ({@link restApiConnectionSchema}),
 * reported at `connection_secret_ref`. A sync (`input.sync`): a mirror needs the operation that takes a record
 * out (`delete`, or `archive` with `sync.on_delete: archive`); once the columns are known, every path template
 * must be `{id}` or a mapped field, and `{id}` needs `record_id_path` (the ids are the API's).
 *
 * @example
 * ```ts
 * checkRestApi({ config: {}, disposition: 'append', connection: { token: 't', api_key: 'k' } });
 * // [{ path: 'connection_secret_ref', message: 'the secret must hold one of: token, username + password, api_key' }]
 * ```
 */
export function checkRestApi(input: SinkCheckInput): SinkCheckIssue[] {
  return [...syncIssues(input), ...authIssues(input)];
}

function authIssues(input: SinkCheckInput): SinkCheckIssue[] {
  if (input.connection === undefined) return [];
  return restAuthIssues(input.connection).map((issue) => ({
    path: 'connection_secret_ref',
    message: issue.key === undefined ? issue.message : `${issue.key}: ${issue.message}`,
  }));
}

function syncIssues(input: SinkCheckInput): SinkCheckIssue[] {
  const { sync, config } = input;
  if (sync === undefined) return [];
  const issues: SinkCheckIssue[] = [];
  if (sync.mode === 'mirror') {
    const name = sync.onDelete === 'archive' ? 'archive' : 'delete';
    if (config[name] === undefined) {
      const example =
        name === 'delete'
          ? 'delete: { method: DELETE, path: /contacts/{id} }'
          : 'archive: { method: PATCH, path: /contacts/{id}/archive }';
      issues.push({
        path: `config.${name}`,
        message: `sync mode "mirror" ${name === 'delete' ? 'deletes' : 'archives'} the records that left the source: add the ${name} operation (with base_url), e.g. ${example}`,
      });
    }
  }
  // Without the columns (the source not read), only {id} is checked.
  const recordIds = typeof config.record_id_path === 'string';
  return [...issues, ...templateIssues(config, input.columns, { recordIds })];
}
