import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerPlan } from './egress-plan.js';
import { registerRun } from './egress-run.js';
import { registerRuns } from './egress-runs.js';

/** Registers `egress` with its `plan` and `run` subcommands. */
export function registerEgress(program: Command, context: CliContext, done: (code: number) => void): void {
  const egress = program
    .command('egress')
    .description('reverse ETL: plan or run the destinations declared in floe.yaml, list their runs')
    .addHelpText(
      'after',
      `
Examples:
  $ floe egress plan
  $ floe egress run --destination crm
  $ floe egress runs`,
    );
  registerPlan(egress, context, done);
  registerRun(egress, context, done);
  registerRuns(egress, context, done);
}
