import { AwsClient } from 'aws4fetch';
import { IcebergNotFoundError, LakehouseConfigError } from '../../errors.js';
import type { FileIO, RangeReader } from './file-io.js';
import { fetchBytes, fetchSize, fetchWithRetry, httpError, httpRangeReader, type Fetcher } from './http-fetch.js';

/** AWS credentials used to sign S3 requests (SigV4). */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How to reach S3 (or an S3-compatible store). */
export interface S3Settings {
  /** Endpoint override, e.g. `http://127.0.0.1:9000` (MinIO). Default: AWS for `region`. */
  endpoint?: string;
  region: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`. */
  pathStyle: boolean;
  /** Omitted: requests are sent unsigned (public buckets). */
  credentials?: S3Credentials;
}

/** Partial settings; unset fields fall back to the standard `AWS_*` environment variables. */
export type S3SettingsInput = Partial<S3Settings>;

/**
 * Resolves S3 settings: explicit values first, then `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`,
 * `AWS_REGION` / `AWS_DEFAULT_REGION` and `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
 * `AWS_SESSION_TOKEN`. Path-style addressing defaults to on when an endpoint is set.
 */
export function resolveS3Settings(input: S3SettingsInput = {}, env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = input.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const settings: S3Settings = {
    region: input.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    pathStyle: input.pathStyle ?? endpoint !== undefined,
  };
  if (endpoint) settings.endpoint = endpoint.replace(/\/+$/, '');
  const credentials =
    input.credentials ??
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined);
  if (credentials) settings.credentials = credentials;
  return settings;
}

function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/** Splits `s3://bucket/key` (also `s3a://`, `s3n://`). */
export function parseS3Location(location: string): { bucket: string; key: string } {
  const m = /^s3[an]?:\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (!m) throw new LakehouseConfigError(`Not an S3 location: ${location}`);
  return { bucket: m[1] as string, key: m[2] as string };
}

/** S3 access signed with SigV4 through aws4fetch (or unsigned when no credentials are set). */
export class S3FileIO implements FileIO {
  private readonly fetcher: Fetcher;

  constructor(private readonly settings: S3Settings) {
    const creds = settings.credentials;
    if (creds) {
      const client = new AwsClient({
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
        service: 's3',
        region: settings.region,
        retries: 0,
      });
      this.fetcher = (url, init) => client.fetch(url, init);
    } else {
      this.fetcher = (url, init) => fetch(url, init);
    }
  }

  /** Base URL of a bucket, ending without `/`. */
  private bucketUrl(bucket: string): string {
    const { endpoint, region, pathStyle } = this.settings;
    const base = new URL(endpoint ?? `https://s3.${region}.amazonaws.com`);
    if (pathStyle) return `${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}`;
    return `${base.protocol}//${bucket}.${base.host}${base.pathname.replace(/\/+$/, '')}`;
  }

  /** HTTP URL of an object. */
  objectUrl(location: string): string {
    const { bucket, key } = parseS3Location(location);
    return `${this.bucketUrl(bucket)}/${encodeKey(key)}`;
  }

  readFile(location: string, signal?: AbortSignal): Promise<Uint8Array> {
    return fetchBytes(this.fetcher, this.objectUrl(location), location, signal);
  }

  stat(location: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    return fetchSize(this.fetcher, this.objectUrl(location), location, signal);
  }

  async list(folder: string, signal?: AbortSignal): Promise<string[]> {
    const { bucket, key } = parseS3Location(folder);
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    const names: string[] = [];
    let token: string | undefined;
    do {
      const params = new URLSearchParams({ 'list-type': '2', prefix, delimiter: '/' });
      if (token) params.set('continuation-token', token);
      const url = `${this.bucketUrl(bucket)}/?${params.toString()}`;
      const response = await fetchWithRetry(this.fetcher, url, signal ? { signal } : {}, folder);
      if (!response.ok) throw await httpError(response, folder, 'list');
      const xml = await response.text();
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) {
        const name = unescapeXml(m[1] as string).slice(prefix.length);
        if (name && !name.includes('/')) names.push(name);
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? unescapeXml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '') || undefined
        : undefined;
    } while (token);
    return names;
  }

  async openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader> {
    const url = this.objectUrl(location);
    const known = size ?? (await this.stat(location, signal))?.size;
    if (known === undefined) throw new IcebergNotFoundError(location, `File not found: ${location}`);
    return httpRangeReader(this.fetcher, url, location, known);
  }
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
}
