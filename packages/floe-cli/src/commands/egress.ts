import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerPlan } from './egress-plan.js';
import { registerRun } from './egress-run.js';

/** Registers `egress` with its `plan` and `run` subcommands. */
export function registerEgress(program: Command, context: CliContext, done: (code: number) => void): void {
  const egress = program
    .command('egress')
    .description('reverse ETL: plan or run the destinations declared in floe.yaml')
    .addHelpText(
      'after',
      `
Examples:
  $ floe egress plan
  $ floe egress run --destination crm`,
    );
  registerPlan(egress, context, done);
  registerRun(egress, context, done);
}
