import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A table the fake catalog serves: its metadata.json text is embedded verbatim (64-bit ids intact). */
export interface ServedTable {
  metadataLocation: string;
  metadataText: string;
  config?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A loopback Iceberg REST catalog: `POST /v1/oauth/tokens` (client credentials), `GET /v1/config`
 * (returns `prefix` = warehouse) and loadTable under that prefix. Bearer tokens are enforced.
 */
export async function startRestCatalog(options: {
  clientId: string;
  clientSecret: string;
  warehouse: string;
  tables: Record<string, ServedTable>;
  failWith?: number;
}): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const token = 'tok-abc';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, headers: req.headers, body });
      const send = (status: number, payload: unknown, raw?: string): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(raw ?? JSON.stringify(payload));
      };
      const error = (status: number, type: string, message: string): void =>
        send(status, { error: { message, type, code: status } });
      if (options.failWith) return error(options.failWith, 'ServiceUnavailableException', 'catalog is down');
      if (req.method === 'POST' && url.pathname === '/v1/oauth/tokens') {
        const form = new URLSearchParams(body);
        const ok =
          req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
          form.get('grant_type') === 'client_credentials' &&
          form.get('client_id') === options.clientId &&
          form.get('client_secret') === options.clientSecret;
        if (!ok) return error(401, 'NotAuthorizedException', 'bad client credentials');
        return send(200, {
          access_token: token,
          token_type: 'bearer',
          expires_in: 3600,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        });
      }
      if (req.headers.authorization !== `Bearer ${token}`)
        return error(401, 'NotAuthorizedException', 'missing bearer token');
      if (req.method === 'GET' && url.pathname === '/v1/config') {
        if (url.searchParams.get('warehouse') !== options.warehouse)
          return error(404, 'NotFoundException', 'unknown warehouse');
        return send(200, { defaults: {}, overrides: { prefix: options.warehouse } });
      }
      const m = new RegExp(`^/v1/${options.warehouse}/namespaces/([^/]+)/tables/([^/]+)$`).exec(url.pathname);
      if (req.method === 'GET' && m) {
        const id = `${decodeURIComponent(m[1] as string)
          .split('\u001f')
          .join('.')}.${decodeURIComponent(m[2] as string)}`;
        const table = options.tables[id];
        if (!table) return error(404, 'NoSuchTableException', `Table does not exist: ${id}`);
        const raw = `{"metadata-location":${JSON.stringify(table.metadataLocation)},"metadata":${table.metadataText},"config":${JSON.stringify(table.config ?? {})}}`;
        return send(200, undefined, raw);
      }
      return error(404, 'NotFoundException', `no route ${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
