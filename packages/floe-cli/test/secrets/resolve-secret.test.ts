import { describe, expect, it } from '@jest/globals';
import { isSecretNotFoundError } from '../../src/secrets/secret-not-found-error.js';
import { resolveSecret } from '../../src/secrets/resolve-secret.js';
import type { SecretSource } from '../../src/secrets/secret-source.js';
import { restApiSink, sqlDatabaseSink } from '@floe/ingestion-dlt';

// The keys each built-in sink type reads come from its descriptor.
const rules = { rest_api: restApiSink.secret, sql_database: sqlDatabaseSink.secret } as const;

function source(env: Record<string, string>, files: Record<string, string> = {}): SecretSource {
  return {
    env,
    readFile: (path) => files[path],
    listDir: (path) => {
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const names = Object.keys(files)
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length));
      return names.length > 0 ? names : undefined;
    },
  };
}

describe('resolveSecret', () => {
  it('reads a key from FLOE_SECRET_<NAME>_<KEY> when set', () => {
    const secret = resolveSecret('crm-api', source({ FLOE_SECRET_CRM_API_TOKEN: 'tok-123' }), {
      sinkType: 'rest_api',
      rule: rules.rest_api,
    });
    expect(secret.values).toEqual({ token: 'tok-123' });
    expect(secret.origins.token).toBe('env FLOE_SECRET_CRM_API_TOKEN');
  });

  it('reads a key from $FLOE_SECRETS_DIR/<name>/<key> and trims one trailing newline', () => {
    const secret = resolveSecret(
      'warehouse',
      source({ FLOE_SECRETS_DIR: '/run/secrets' }, { '/run/secrets/warehouse/url': 'postgres://u:p@h/db\n' }),
      { sinkType: 'sql_database', rule: rules.sql_database },
    );
    expect(secret.values.url).toBe('postgres://u:p@h/db');
    expect(secret.origins.url).toBe('file /run/secrets/warehouse/url');
  });

  it('prefers the environment over the file when both are set', () => {
    const secret = resolveSecret(
      'db',
      source({ FLOE_SECRETS_DIR: '/s', FLOE_SECRET_DB_URL: 'sqlite:env.db' }, { '/s/db/url': 'sqlite:file.db' }),
      { sinkType: 'sql_database', rule: rules.sql_database },
    );
    expect(secret.values.url).toBe('sqlite:env.db');
  });

  it('accepts username and password together for rest_api', () => {
    const secret = resolveSecret('api', source({ FLOE_SECRET_API_USERNAME: 'u', FLOE_SECRET_API_PASSWORD: 'p' }), {
      sinkType: 'rest_api',
      rule: rules.rest_api,
    });
    expect(Object.keys(secret.values).sort()).toEqual(['password', 'username']);
  });

  it('names the ref and every place looked when the secret is missing', () => {
    let error: unknown;
    try {
      resolveSecret('crm-api', source({ FLOE_SECRETS_DIR: '/run/secrets' }), {
        sinkType: 'rest_api',
        rule: rules.rest_api,
        refPath: 'destinations[0].connection_secret_ref',
      });
    } catch (e) {
      error = e;
    }
    expect(isSecretNotFoundError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('secret "crm-api" (destinations[0].connection_secret_ref)');
    expect(message).toContain('token, or username and password, or api_key');
    expect(message).toContain('FLOE_SECRET_CRM_API_TOKEN');
    expect(message).toContain('/run/secrets/crm-api/api_key');
    expect((error as { category: string }).category).toBe('CONFIGURATION');
  });

  it('says FLOE_SECRETS_DIR is unset when no file could be read', () => {
    expect(() => resolveSecret('db', source({}), { sinkType: 'sql_database', rule: rules.sql_database })).toThrow(
      /FLOE_SECRETS_DIR is not set/,
    );
  });

  it('reports the missing half of a username/password pair without showing the value found', () => {
    expect(() =>
      resolveSecret('api', source({ FLOE_SECRET_API_USERNAME: 'someone-special' }), {
        sinkType: 'rest_api',
        rule: rules.rest_api,
      }),
    ).toThrow(/found only username, missing password/);
    try {
      resolveSecret('api', source({ FLOE_SECRET_API_USERNAME: 'someone-special' }), {
        sinkType: 'rest_api',
        rule: rules.rest_api,
      });
    } catch (error) {
      expect((error as Error).message).not.toContain('someone-special');
    }
  });

  it('treats an empty variable as not set', () => {
    expect(() =>
      resolveSecret('db', source({ FLOE_SECRET_DB_URL: '' }), { sinkType: 'sql_database', rule: rules.sql_database }),
    ).toThrow(/not found/);
  });

  it('takes every key found for a sink type it does not know', () => {
    const secret = resolveSecret(
      'custom',
      source({ FLOE_SECRETS_DIR: '/s', FLOE_SECRET_CUSTOM_CLIENT_ID: 'id' }, { '/s/custom/client_secret': 'shh\n' }),
      { sinkType: 'acme_crm' },
    );
    expect(secret.values).toEqual({ client_id: 'id', client_secret: 'shh' });
  });

  it('fails for an unknown sink type when nothing is found', () => {
    expect(() => resolveSecret('custom', source({}), { sinkType: 'acme_crm' })).toThrow(/FLOE_SECRET_CUSTOM_\*/);
  });
});
