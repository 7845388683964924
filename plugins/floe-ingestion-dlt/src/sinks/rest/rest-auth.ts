import type { RestApiConnection } from './rest-config-schema.js';

/** The authentication header from the resolved secret: bearer token, basic, or API-key header; none without a secret. */
export function authHeaders(connection: RestApiConnection): Record<string, string> {
  if (connection.token !== undefined) return { authorization: `Bearer ${connection.token}` };
  if (connection.username !== undefined && connection.password !== undefined) {
    return {
      authorization: `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString('base64')}`,
    };
  }
  if (connection.api_key !== undefined) return { [connection.api_key_header.toLowerCase()]: connection.api_key };
  return {};
}

/** Every secret value of the connection, to register with the sanitiser (including the derived basic credential). */
export function secretValues(connection: RestApiConnection): string[] {
  const values = [connection.token, connection.password, connection.api_key].filter(
    (value): value is string => value !== undefined,
  );
  if (connection.username !== undefined && connection.password !== undefined) {
    values.push(Buffer.from(`${connection.username}:${connection.password}`).toString('base64'));
  }
  return values;
}

/** The endpoint URL: `url`, or `base_url` joined with `path` (one slash between them). */
export function endpointUrl(connection: RestApiConnection): string {
  if (connection.url !== undefined) return connection.url;
  const base = (connection.base_url ?? '').replace(/\/+$/, '');
  const path = (connection.path ?? '').replace(/^\/+/, '');
  return path === '' ? base : `${base}/${path}`;
}
