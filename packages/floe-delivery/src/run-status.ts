import { hostname } from 'node:os';
import type { LedgerRun } from '@floe/core';

/** Whether a process is alive (signal 0); `EPERM` means it exists under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * A run's status as shown to users: a `running` run whose attempt's process is gone (killed, crashed, the
 * machine restarted) is `interrupted`. Runs recorded by another host keep `running` (that host may still
 * be working on them).
 */
export function effectiveStatus(
  run: LedgerRun,
  options: { host?: string; alive?: (pid: number) => boolean } = {},
): LedgerRun['status'] {
  if (run.status !== 'running') return run.status;
  if (run.host !== (options.host ?? hostname())) return 'running';
  return (options.alive ?? processAlive)(run.pid) ? 'running' : 'interrupted';
}
