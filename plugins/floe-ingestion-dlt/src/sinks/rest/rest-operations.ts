import type { OnDeleteAction, SyncOp } from '@floe/core';
import { endpointUrl } from './rest-auth.js';
import { restBodyFormat, type RestBodyFormat } from './rest-body-encoder.js';
import { REST_OPERATIONS, type RestApiConnection, type RestOperationName } from './rest-config-schema.js';
import { DESTINATION_ID_TEMPLATE, pathTemplates, type PathPart } from './rest-path-template.js';
import type { RestTarget } from './rest-request.js';

/** One operation as the sink sends it: its target (method, and URL when the path has no template) and body. */
export interface RestOperation {
  readonly name: RestOperationName;
  /** `config.<name>`, or `config` for the top-level endpoint (the upsert when `upsert:` is not given). */
  readonly configPath: string;
  readonly target: RestTarget;
  readonly format: RestBodyFormat;
  /** The path as written (`''` for the top-level endpoint). */
  readonly path: string;
  /** The path cut into text and templates (empty for the top-level endpoint). */
  readonly parts: readonly PathPart[];
  /** The path's template names, in order (`id` is the destination's id of the record). */
  readonly templates: readonly string[];
  /** `base_url` without its trailing slashes (templated paths are appended to it). */
  readonly base: string;
  /** One request per row: the path has templates, or `body: record`. */
  readonly perRow: boolean;
}

/** `base` and `path` joined by one slash, as `endpointUrl` does. */
export function joinUrl(base: string, path: string): string {
  const tail = path.replace(/^\/+/, '');
  return tail === '' ? base : `${base}/${tail}`;
}

/**
 * The destination's operations: each named one given (`insert`, `update`, `upsert`, `delete`, `archive`), and
 * the top-level `url` / `base_url` + `path`, `method`, `body` as the `upsert` when `upsert:` is not given.
 */
export function restOperations(
  connection: RestApiConnection,
  target: RestTarget,
): ReadonlyMap<RestOperationName, RestOperation> {
  const base = (connection.base_url ?? '').replace(/\/+$/, '');
  const operations = new Map<RestOperationName, RestOperation>();
  for (const name of REST_OPERATIONS) {
    const operation = connection[name];
    if (operation === undefined) continue;
    const templates = pathTemplates(operation.path);
    // The config schema refused malformed paths: this is a path without templates, sent as written.
    const parts = 'problem' in templates ? [operation.path] : templates.parts;
    const names = 'problem' in templates ? [] : templates.names;
    const format = restBodyFormat({
      ...connection,
      body: operation.body ?? connection.body,
      wrap_key: operation.wrap_key ?? connection.wrap_key,
    });
    operations.set(name, {
      name,
      configPath: `config.${name}`,
      target: { ...target, method: operation.method, url: joinUrl(base, operation.path) },
      format,
      path: operation.path,
      parts,
      templates: names,
      base,
      perRow: names.length > 0 || format.recordMode,
    });
  }
  if (!operations.has('upsert')) {
    const format = restBodyFormat(connection);
    operations.set('upsert', {
      name: 'upsert',
      configPath: 'config',
      target: { ...target, url: endpointUrl(connection) },
      format,
      path: '',
      parts: [],
      templates: [],
      base,
      perRow: format.recordMode,
    });
  }
  return operations;
}

/**
 * The operation a change row goes to: `insert` and `update` to their own, else to `upsert`; `upsert` to
 * `upsert`; `delete` to `delete`, or `archive` when `sync.on_delete` is `archive` (no fallback: `undefined`).
 *
 * @example
 * ```ts
 * operationOf('update', 'delete', operations); // 'update' when config.update is given, else 'upsert'
 * ```
 */
export function operationOf(
  op: SyncOp,
  onDelete: OnDeleteAction,
  operations: ReadonlyMap<RestOperationName, RestOperation>,
): RestOperationName | undefined {
  if (op === 'delete') {
    const name = onDelete === 'archive' ? 'archive' : 'delete';
    return operations.has(name) ? name : undefined;
  }
  if (op !== 'upsert' && operations.has(op)) return op;
  return 'upsert';
}

/** A problem of an operation's templates: `config.<op>.path` and what is wrong, with the fix. */
export interface TemplateIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * What is wrong with the operations' templates for a destination whose fields are `fields` (destination
 * names, bookkeeping columns excluded; `undefined`: not known, not checked): a `{<field>}` that is not one of them; with `primaryKey`, a
 * `delete` / `archive` template that is not a key field (a delete row carries only the key); with `recordIds:
 * false` (no `record_id_path`), an `{id}`, which the API's ids would have to fill.
 */
export function templateIssues(
  config: Readonly<Record<string, unknown>>,
  fields: readonly string[] | undefined,
  options: { readonly primaryKey?: readonly string[]; readonly recordIds?: boolean } = {},
): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const name of REST_OPERATIONS) {
    const operation = config[name] as { readonly path?: unknown } | undefined;
    if (typeof operation?.path !== 'string') continue;
    const templates = pathTemplates(operation.path);
    if ('problem' in templates) continue;
    const path = `config.${name}.path`;
    for (const template of templates.names) {
      if (template === DESTINATION_ID_TEMPLATE) {
        if (options.recordIds === false)
          issues.push({
            path,
            message:
              'template {id} is the id the API gave the record, kept only with record_id_path: set record_id_path (e.g. id) so the ids of created records are read, or name a mapped field, e.g. {email}',
          });
        continue;
      }
      if (fields === undefined) continue;
      if (!fields.includes(template)) {
        issues.push({
          path,
          message: `template {${template}} is not a mapped field (fields: ${fields.join(', ') || 'none'}): name one of them, or {id} for the destination's id of the record`,
        });
      } else if ((name === 'delete' || name === 'archive') && options.primaryKey?.includes(template) === false) {
        issues.push({
          path,
          message: `template {${template}} is not a key field (a ${name} row carries only the key: ${options.primaryKey.join(', ')}): use {id} or a key field`,
        });
      }
    }
  }
  return issues;
}
