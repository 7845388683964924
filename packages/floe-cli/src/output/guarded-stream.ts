import type { TextStream } from './terminal.js';

/** A Node.js writable that reports errors as events (`process.stdout`, `process.stderr`). */
export interface EmittingStream extends TextStream {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** A {@link TextStream} that stops writing once its reader has gone away. */
export interface GuardedStream extends TextStream {
  /** True once the stream failed (`EPIPE`: `floe … | head -1` closed the pipe); later writes are dropped. */
  readonly closed: boolean;
}

/**
 * Wraps stdout or stderr so that a closed pipe cannot kill a delivery: the first write error (`EPIPE`,
 * `ERR_STREAM_DESTROYED`) marks the stream closed and every later write is dropped, while the run goes on
 * and its receipts and state store are written as usual.
 *
 * @example
 * ```ts
 * const stdout = guardStream(process.stdout); // `floe egress run --json | head -1` keeps delivering
 * ```
 */
export function guardStream(stream: EmittingStream): GuardedStream {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return {
    get closed() {
      return closed;
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write(text: string): boolean {
      if (closed) return false;
      try {
        return stream.write(text) !== false;
      } catch {
        closed = true;
        return false;
      }
    },
  };
}
