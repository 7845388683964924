import type { SyncScope, SyncStateMeta, SyncStateRecord, SyncStateStore } from '@floe/core';

/**
 * The sync state of a destination no run has synced yet, read-only: `egress plan` diffs against it when the
 * state store does not exist (and is not to be created), so the plan counts what a first run sends.
 */
export class EmptySyncState implements SyncStateStore {
  readonly location: string;

  constructor(location: string) {
    this.location = location;
  }

  meta(_scope: SyncScope): Promise<SyncStateMeta | undefined> {
    return Promise.resolve(undefined);
  }

  lookup(_scope: SyncScope, _keys: readonly string[]): Promise<Map<string, SyncStateRecord>> {
    return Promise.resolve(new Map());
  }

  async *records(_scope: SyncScope): AsyncIterable<readonly SyncStateRecord[]> {}

  addPending(): Promise<void> {
    return Promise.reject(new Error('the empty sync state of a plan is read-only'));
  }

  settle(): Promise<void> {
    return Promise.reject(new Error('the empty sync state of a plan is read-only'));
  }

  reset(): Promise<void> {
    return Promise.reject(new Error('the empty sync state of a plan is read-only'));
  }
}
