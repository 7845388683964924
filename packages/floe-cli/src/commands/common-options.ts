import { InvalidArgumentError, Option, type Command } from 'commander';

/** Options every project command takes. */
export interface ProjectOptions {
  readonly spec?: string;
  readonly manifest?: string;
}

/** Adds `--spec` and `--manifest`. */
export function addProjectOptions(command: Command): Command {
  return command
    .option('-s, --spec <file>', 'floe.yaml to read (paths inside it are relative to its folder)', 'floe.yaml')
    .option('-m, --manifest <file>', "manifest.yaml to govern it (default: floe.yaml's platform.manifest)");
}

/** Adds `--destination NAME…` (repeatable). */
export function addDestinationOption(command: Command): Command {
  return command.addOption(
    new Option('-d, --destination <name...>', 'only these destinations (repeatable; default: all)'),
  );
}

/** Parses a whole number ≥ 0 for commander. */
export function parseCount(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return number;
}
