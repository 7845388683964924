import { IcebergNotFoundError, StorageError } from '../../errors.js';
import type { RangeReader } from './file-io.js';

/** Performs one HTTP request (plain `fetch`, or a signing client such as aws4fetch). */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Sends a request, retrying network failures and 408/429/5xx answers (3 attempts, exponential
 * backoff). Returns the final response, whatever its status; throws a TRANSIENT StorageError when
 * the server could never be reached.
 */
export async function fetchWithRetry(
  fetcher: Fetcher,
  url: string,
  init: RequestInit,
  location: string,
): Promise<Response> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    init.signal?.throwIfAborted();
    let response: Response;
    try {
      response = await fetcher(url, init);
    } catch (cause) {
      if ((cause as { name?: unknown }).name === 'AbortError' || init.signal?.aborted)
        throw init.signal?.reason ?? cause;
      if (attempt >= attempts) {
        throw new StorageError(`Cannot reach ${location}: ${(cause as Error).message}`, { location, status: 0, cause });
      }
      await sleep(100 * 2 ** attempt, init.signal ?? undefined);
      continue;
    }
    if (!RETRY_STATUS.has(response.status) || attempt >= attempts) return response;
    await response.body?.cancel();
    await sleep(100 * 2 ** attempt, init.signal ?? undefined);
  }
}

/** Converts a failed response into a NotFound or Storage error (the body is read for the message). */
export async function httpError(response: Response, location: string, what = 'read'): Promise<Error> {
  const text = (await response.text().catch(() => '')).slice(0, 300);
  if (response.status === 404) {
    return new IcebergNotFoundError(location, `File not found: ${location} (HTTP 404)`);
  }
  return new StorageError(`Cannot ${what} ${location}: HTTP ${response.status}${text ? ` — ${text}` : ''}`, {
    location,
    status: response.status,
  });
}

/** Reads a whole object. */
export async function fetchBytes(
  fetcher: Fetcher,
  url: string,
  location: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await fetchWithRetry(fetcher, url, signal ? { signal } : {}, location);
  if (!response.ok) throw await httpError(response, location);
  return new Uint8Array(await response.arrayBuffer());
}

/** Size of an object from a HEAD request, `null` when it does not exist. */
export async function fetchSize(
  fetcher: Fetcher,
  url: string,
  location: string,
  signal?: AbortSignal,
): Promise<{ size: number } | null> {
  const response = await fetchWithRetry(fetcher, url, { method: 'HEAD', ...(signal ? { signal } : {}) }, location);
  if (response.status === 404) return null;
  if (!response.ok) throw await httpError(response, location, 'stat');
  const length = Number(response.headers.get('content-length'));
  if (!Number.isFinite(length)) {
    throw new StorageError(`No Content-Length for ${location}`, { location, category: 'PERMANENT' });
  }
  return { size: length };
}

/**
 * Reads bytes `[start, end)` with an explicit `Range: bytes=start-(end-1)` header (never a suffix or
 * open-ended range, which some S3-compatible servers mishandle). A 206 answer is checked against the
 * requested range; a 200 answer (range ignored) is sliced.
 */
export async function fetchRange(
  fetcher: Fetcher,
  url: string,
  location: string,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (end <= start) return new Uint8Array(0);
  const init: RequestInit = { headers: { range: `bytes=${start}-${end - 1}` }, ...(signal ? { signal } : {}) };
  const response = await fetchWithRetry(fetcher, url, init, location);
  if (response.status === 200) {
    const all = new Uint8Array(await response.arrayBuffer());
    if (all.length < end) throw new StorageError(`Short read of ${location}`, { location, category: 'PERMANENT' });
    return all.subarray(start, end);
  }
  if (response.status !== 206) throw await httpError(response, location);
  const body = new Uint8Array(await response.arrayBuffer());
  const contentRange = /bytes\s+(\d+)-(\d+)/i.exec(response.headers.get('content-range') ?? '');
  const okRange = !contentRange || (Number(contentRange[1]) === start && Number(contentRange[2]) === end - 1);
  if (!okRange || body.length !== end - start) {
    throw new StorageError(
      `Storage answered the wrong range for ${location}: asked bytes ${start}-${end - 1}, got ${response.headers.get('content-range') ?? `${body.length} bytes`}`,
      { location, status: 206, category: 'PERMANENT' },
    );
  }
  return body;
}

/** A RangeReader over HTTP range requests. */
export function httpRangeReader(fetcher: Fetcher, url: string, location: string, size: number): RangeReader {
  return {
    size,
    read: (start, end, signal) => fetchRange(fetcher, url, location, start, end, signal),
    close: async () => undefined,
  };
}
