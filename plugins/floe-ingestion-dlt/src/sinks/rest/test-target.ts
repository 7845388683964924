import { ErrorCategory, SinkConfig, type SinkTargetCheck, type SinkTargetTestOptions } from '@floe/core';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { PACKAGE_VERSION } from '../../internal/package-version.js';
import { parseSinkConnection } from '../../internal/parse-sink-connection.js';
import { authHeaders, endpointUrl, secretValues } from './rest-auth.js';
import { restApiConnectionSchema, type RestApiConnection } from './rest-config-schema.js';
import { createRestHttpClient } from './rest-http-client.js';

/** Methods tried in turn, none of which writes: the next is tried when the endpoint does not route one. */
const PROBES = ['HEAD', 'OPTIONS', 'GET'] as const;

/** Answers that mean "not this method here" (try the next probe). */
const NOT_ROUTED = new Set([404, 405, 501]);

/**
 * `floe destination test` for a `rest_api` destination, strictly read-only: sends the sink's own headers and
 * credential (never a body) to its endpoint with `HEAD`, then `OPTIONS`, then `GET` while the endpoint answers
 * 404 / 405 / 501, and checks that it answers at all and does not refuse the credential. 401 / 403 → failed,
 * `CONFIGURATION` (fix the secret); no answer or a 5xx → failed, `TRANSIENT`; 404 to every probe → failed,
 * `CONFIGURATION` (wrong URL); 405 / 501 to every probe → passed, noting the credential could not be checked
 * without writing. Keep-alive agents are destroyed before returning.
 */
export async function testRestTarget(
  config: Readonly<Record<string, unknown>>,
  connection: Readonly<Record<string, string>>,
  options: SinkTargetTestOptions,
): Promise<readonly SinkTargetCheck[]> {
  let parsed: RestApiConnection;
  try {
    parsed = parseSinkConnection(
      restApiConnectionSchema,
      new SinkConfig({ sinkType: 'rest_api', connectionConfig: { ...config, ...connection } }),
    );
  } catch (error) {
    return [{ check: 'config', ok: false, message: (error as Error).message, category: ErrorCategory.CONFIGURATION }];
  }
  const url = endpointUrl(parsed);
  const secrets = secretValues(parsed);
  const headers = {
    'user-agent': `floe-ingestion-dlt/${PACKAGE_VERSION}`,
    accept: 'application/json',
    ...Object.fromEntries(Object.entries(parsed.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    ...authHeaders(parsed),
  };
  const http = createRestHttpClient(undefined);
  const answers: string[] = [];
  try {
    for (const method of PROBES) {
      let status: number;
      try {
        const response = await http.client(url, {
          method,
          headers,
          timeout: { request: parsed.timeout_ms },
          ...(options.signal !== undefined && { signal: options.signal }),
        });
        status = response.statusCode;
      } catch (error) {
        const message = sanitizeErrorMessage(`${method} ${url}: no answer: ${(error as Error).message}`, secrets);
        return [{ check: 'reach', ok: false, message, category: ErrorCategory.TRANSIENT }];
      }
      answers.push(`${status} to ${method}`);
      const said = sanitizeErrorMessage(`${url} answered ${answers.join(', ')}`, secrets);
      if (status === 401 || status === 403) {
        return [
          { check: 'reach', ok: true, message: said },
          {
            check: 'auth',
            ok: false,
            message: `the endpoint refused the credential (${status}): check the connection secret's token, username/password or api_key`,
            category: ErrorCategory.CONFIGURATION,
          },
        ];
      }
      if (status >= 500 && !NOT_ROUTED.has(status)) {
        return [{ check: 'reach', ok: false, message: said, category: ErrorCategory.TRANSIENT }];
      }
      if (!NOT_ROUTED.has(status)) {
        return [
          { check: 'reach', ok: true, message: said },
          { check: 'auth', ok: true, message: `the credential was accepted (${status} to ${method})` },
        ];
      }
    }
    const said = sanitizeErrorMessage(`${url} answered ${answers.join(', ')}`, secrets);
    if (answers.every((answer) => answer.startsWith('404'))) {
      return [
        {
          check: 'reach',
          ok: false,
          message: `${said}: no such endpoint, check config.url (or base_url and path)`,
          category: ErrorCategory.CONFIGURATION,
        },
      ];
    }
    return [
      { check: 'reach', ok: true, message: said },
      {
        check: 'auth',
        ok: true,
        message: `not verified: the endpoint takes only ${parsed.method}, and testing it would write`,
      },
    ];
  } finally {
    http.destroy();
  }
}
