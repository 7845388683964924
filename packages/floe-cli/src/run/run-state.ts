import type { trace } from '@opentelemetry/api';
import type { StateStoreHandle } from '@floe/delivery';
import type { CliContext } from '../context.js';
import type { EgressEngine } from '../egress/engine.js';
import type { RunReporter } from '../output/run-reporter.js';
import type { Project } from '../project/load-project.js';
import type { Redactor } from '../secrets/redactor.js';
import type { RunOptions } from './run-options.js';

/** Everything one `floe egress run` works with once its project is loaded. */
export interface RunState {
  readonly project: Project;
  readonly destinations: Project['plan']['destinations'][number][];
  readonly runId: string;
  readonly engine: EgressEngine;
  readonly context: CliContext;
  readonly options: RunOptions;
  readonly redactor: Redactor;
  readonly reporter: RunReporter;
  readonly tracer: ReturnType<typeof trace.getTracer>;
  readonly store: StateStoreHandle;
}
