import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isIcebergNotFoundError, isStorageError, openTable, type StorageError } from '../../../src/index.js';
import { HttpFileIO } from '../../../src/internal/io/http-file-io.js';
import { FIXTURES_DIR } from '../../support/fixtures.js';

type Mode = 'normal' | 'ignore-range' | 'wrong-range' | 'flaky' | 'unauthorized' | 'fail-chunks';
let mode: Mode = 'normal';
let flakyFailures = 0;
const seen: { method: string; url: string; range: string | undefined; status: number }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const reply = (
        status: number,
        body?: Uint8Array | string,
        headers: Record<string, string | number> = {},
      ): void => {
        seen.push({ method: req.method ?? '', url, range: req.headers.range, status });
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (mode === 'unauthorized') return reply(401, 'no');
      if (mode === 'flaky' && flakyFailures > 0) {
        flakyFailures--;
        return reply(503, 'busy');
      }
      const path = join(FIXTURES_DIR, url);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return reply(404, 'not found');
      const body = await readFile(path);
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!range || mode === 'ignore-range') return reply(200, body, { 'content-length': body.length });
      const start = Number(range[1]);
      const end = Number(range[2]);
      if (mode === 'fail-chunks' && end !== body.length - 1) return reply(500, 'disk on fire');
      const shown =
        mode === 'wrong-range' ? `bytes 0-${end - start}/${body.length}` : `bytes ${start}-${end}/${body.length}`;
      return reply(206, body.subarray(start, end + 1), { 'content-range': shown, 'content-length': end - start + 1 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpFileIO', () => {
  it('reads a table over HTTP with range requests when the folder has a version-hint', async () => {
    mode = 'normal';
    seen.length = 0;
    const table = await openTable({ location: `${base}/duckdb-iceberg/iceberg/lineitem_iceberg` });
    let rows = 0;
    for await (const batch of table.batches({ columns: ['l_orderkey'] })) rows += batch.numRows;
    expect(rows).toBe(51_793);
    const parquet = seen.filter((r) => r.url.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(0);
    expect(parquet.every((r) => r.status === 206 && r.range !== undefined)).toBe(true);
    expect(seen.some((r) => r.method === 'HEAD')).toBe(true);
  });

  it('slices the body when the server ignores the Range header', async () => {
    mode = 'ignore-range';
    const table = await openTable({ location: `${base}/icebird/java/bunnies` });
    expect(await table.count()).toBe(15);
    let rows = 0;
    for await (const batch of table.batches()) rows += batch.numRows;
    expect(rows).toBe(15);
  });

  it('refuses a response for the wrong byte range', async () => {
    mode = 'wrong-range';
    const table = await openTable({
      location: `${base}/icebird/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json`,
    });
    const error = await (async () => {
      for await (const _ of table.batches()) void _;
    })().catch((e: unknown) => e);
    expect(isStorageError(error)).toBe(true);
    expect((error as Error).message).toMatch(/wrong range/);
  });

  it('raises a storage error without breaking the Parquet reader when a column chunk read fails', async () => {
    mode = 'fail-chunks';
    const table = await openTable({ location: `${base}/duckdb-iceberg/iceberg/lineitem_iceberg` });
    const error = await (async () => {
      for await (const _ of table.batches()) void _;
    })().catch((e: unknown) => e);
    expect(isStorageError(error)).toBe(true);
    expect((error as StorageError).category).toBe('TRANSIENT');
    expect((error as Error).message).toMatch(/HTTP 500/);
    mode = 'normal';
    expect(await table.count()).toBe(51_793);
    let rows = 0;
    for await (const batch of table.batches({ columns: ['l_tax'] })) rows += batch.numRows;
    expect(rows).toBe(51_793);
  });

  it('retries transient 503 answers before succeeding', async () => {
    mode = 'flaky';
    flakyFailures = 2;
    const io = new HttpFileIO();
    const bytes = await io.readFile(`${base}/duckdb-iceberg/uuid/metadata/version-hint.text`);
    expect(new TextDecoder().decode(bytes).trim()).toBe('00001-43fda1f4-1c96-4376-ad16-91beb71d0759');
    expect(flakyFailures).toBe(0);
  });

  it('maps 404, 401 and unlistable folders to clear errors', async () => {
    mode = 'normal';
    const io = new HttpFileIO();
    expect(await io.stat(`${base}/nope.json`)).toBeNull();
    expect(await io.list()).toBeNull();
    expect(isIcebergNotFoundError(await io.openReader(`${base}/nope.parquet`).catch((e: unknown) => e))).toBe(true);
    const noHint = await openTable({ location: `${base}/icebird/athena/example` }).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(noHint)).toBe(true);
    expect((noHint as Error).message).toMatch(/cannot be listed/);
    mode = 'unauthorized';
    const denied = await io.readFile(`${base}/x`).catch((e: unknown) => e);
    expect((denied as StorageError).status).toBe(401);
    expect((denied as StorageError).category).toBe('CONFIGURATION');
    const closed = await new HttpFileIO().readFile('http://127.0.0.1:1/x').catch((e: unknown) => e);
    expect((closed as StorageError).category).toBe('TRANSIENT');
  });
});
