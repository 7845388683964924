import type { RestCatalogSourceConfig } from '../../source-config.js';
import type { S3SettingsInput } from '../io/s3-file-io.js';
import type { LoadedTable } from './rest-catalog-client.js';

/**
 * S3 settings for a table loaded from a REST catalog: endpoint / region / path style from the
 * source config first, then from the catalog's table config; credentials vended by the catalog
 * (longest matching `storage-credentials` prefix, else `s3.*` keys of the table config), else the
 * `AWS_*` environment variables.
 */
export function s3SettingsForTable(
  source: RestCatalogSourceConfig,
  loaded: LoadedTable,
  tableLocation: string,
): S3SettingsInput {
  const vended = loaded.storageCredentials
    .filter((c) => tableLocation.startsWith(c.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  const cfg = { ...loaded.config, ...(vended?.config ?? {}) };
  const settings: S3SettingsInput = {};
  const endpoint = source.s3.endpoint ?? cfg['s3.endpoint'];
  if (endpoint) settings.endpoint = endpoint;
  const region = source.s3.region ?? cfg['client.region'] ?? cfg['s3.region'];
  if (region) settings.region = region;
  const catalogPathStyle = cfg['s3.path-style-access'];
  settings.pathStyle =
    source.s3.endpoint === undefined && catalogPathStyle !== undefined
      ? catalogPathStyle === 'true'
      : source.s3.path_style || endpoint !== undefined;
  const accessKeyId = cfg['s3.access-key-id'];
  const secretAccessKey = cfg['s3.secret-access-key'];
  if (accessKeyId && secretAccessKey) {
    const sessionToken = cfg['s3.session-token'];
    settings.credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  return settings;
}
