import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got } from 'got';

/** The HTTP client of a rest_api destination and how to release what it holds. */
export interface RestHttpClient {
  readonly client: Got;
  /** Destroys the keep-alive agents this module made (none for an injected client). */
  destroy(): void;
}

/**
 * `injected` (or got with keep-alive agents), set up so that the destination handles retries, HTTP errors and
 * redirects itself: no retries, no throwing on a status, no following redirects.
 */
export function createRestHttpClient(injected: Got | undefined): RestHttpClient {
  const agents = injected
    ? undefined
    : { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const client = (injected ?? got).extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    ...(agents && { agent: agents }),
  });
  return {
    client,
    destroy() {
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}
