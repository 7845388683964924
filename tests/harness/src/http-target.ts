import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the target received, body parsed as JSON when it is JSON. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly body: unknown;
}

/** What a scripted handler returns: status, optional headers and JSON body; `hang: true` never answers. */
export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly hang?: boolean;
}

/** Decides the answer to each request. */
export type TargetHandler = (request: RecordedRequest, index: number) => ScriptedResponse | Promise<ScriptedResponse>;

/** A loopback HTTP server (127.0.0.1, random port) that records requests and answers as scripted. */
export interface HttpTarget {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replace the handler. */
  handle(handler: TargetHandler): void;
  close(): Promise<void>;
}

/** Starts a loopback HTTP target. The default handler answers 200 `{}`. */
export async function startHttpTarget(handler: TargetHandler = () => ({ status: 200, body: {} })): Promise<HttpTarget> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const text = rawBody.toString('utf8');
      let body: unknown = text;
      if ((req.headers['content-type'] ?? '').includes('json') && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        rawBody,
        body,
      };
      const index = requests.push(recorded) - 1;
      Promise.resolve(current(recorded, index)).then(
        (answer) => {
          if (answer.hang) {
            hanging.add(res);
            return;
          }
          const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(payload);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
