import type { ProjectOptions } from '../commands/common-options.js';
import type { MaxRejected } from '../egress/max-rejected.js';

/** The options of `floe egress run`, as commander parsed them. */
export interface RunOptions extends ProjectOptions {
  readonly destination?: string[];
  readonly json?: boolean;
  readonly stateDir?: string;
  readonly preview?: number;
  readonly trace?: 'console';
  readonly maxRejected?: MaxRejected;
  readonly restart?: boolean;
  readonly stateStore?: string;
  readonly waitLock?: number;
  readonly failFast?: boolean;
  readonly fullResync?: boolean;
  readonly allowMassDelete?: boolean;
  readonly fullScan?: boolean;
}
