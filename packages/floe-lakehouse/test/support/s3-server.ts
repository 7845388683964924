import { AwsV4Signer } from 'aws4fetch';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import S3rver from 's3rver';
import account from 's3rver/lib/models/account.js';

export interface S3Request {
  method: string;
  url: string;
  range: string | undefined;
  status: number;
  accessKeyId: string | undefined;
  /** True when the SigV4 signature recomputed with the key's secret matches (s3rver itself does not check). */
  signatureValid: boolean;
}

async function verifySigV4(
  req: IncomingMessage,
  secrets: Map<string, string>,
): Promise<{ accessKeyId: string | undefined; valid: boolean }> {
  const auth = req.headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      auth,
    );
  if (!m) return { accessKeyId: undefined, valid: false };
  const [, accessKeyId, region, signedHeaders] = m as unknown as [string, string, string, string];
  const secretAccessKey = secrets.get(accessKeyId);
  if (!secretAccessKey) return { accessKeyId, valid: false };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) if (name !== 'host') headers[name] = String(req.headers[name] ?? '');
  const signer = new AwsV4Signer({
    method: req.method ?? 'GET',
    url: `http://${req.headers.host}${req.url}`,
    headers,
    accessKeyId,
    secretAccessKey,
    ...(headers['x-amz-security-token'] ? { sessionToken: headers['x-amz-security-token'] } : {}),
    service: 's3',
    region,
    datetime: headers['x-amz-date'] ?? '',
  });
  const signed = await signer.sign();
  return { accessKeyId, valid: signed.headers.get('authorization') === auth };
}

/**
 * s3rver behind a recording proxy on 127.0.0.1 (random port), with SigV4 checks done by the proxy.
 * `keys` maps access key ids to secrets; each is registered with s3rver.
 */
export async function startS3(directory: string, buckets: string[], keys: Record<string, string>) {
  const secrets = new Map(Object.entries(keys));
  for (const [id, secret] of secrets) account.DUMMY_ACCOUNT.createKeyPair(id, secret);
  const s3 = new S3rver({
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    vhostBuckets: false,
  });
  await s3.configureBuckets();
  const handler = s3.callback();
  const requests: S3Request[] = [];
  const server: Server = createServer((req, res) => {
    void verifySigV4(req, secrets).then(({ accessKeyId, valid }) => {
      res.on('finish', () =>
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          range: req.headers.range,
          status: res.statusCode,
          accessKeyId,
          signatureValid: valid,
        }),
      );
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Uploads every file under `folder` to `s3://bucket/prefix/...` (unsigned PUTs). */
  async function upload(folder: string, bucket: string, prefix: string): Promise<void> {
    const walk = async (dir: string): Promise<string[]> =>
      (
        await Promise.all(
          (await readdir(dir, { withFileTypes: true })).map((e) =>
            e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
          ),
        )
      ).flat();
    for (const file of await walk(folder)) {
      const key = `${prefix}/${relative(folder, file).split('\\').join('/')}`;
      const response = await fetch(`${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, {
        method: 'PUT',
        body: await readFile(file),
      });
      if (!response.ok) throw new Error(`upload of ${key} failed: ${response.status} ${await response.text()}`);
    }
    requests.length = 0;
  }

  return {
    endpoint,
    requests,
    upload,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
