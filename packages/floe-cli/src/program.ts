import { Command, CommanderError } from 'commander';
import { registerEgress } from './commands/egress.js';
import { registerPlugins } from './commands/plugins.js';
import { registerValidate } from './commands/validate.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-code.js';
import { CLI_VERSION } from './version.js';

/**
 * Runs the `floe` command line with `argv` (without `node` and the script) and returns the exit code.
 * Never calls `process.exit`: the caller decides (so spans can be flushed first).
 *
 * @example
 * ```ts
 * const code = await runCli(['egress', 'plan', '--spec', 'floe.yaml'], defaultContext());
 * ```
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const done = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('floe')
    .description('floe: push curated Gold Iceberg tables to REST APIs and SQL databases (reverse ETL)')
    .version(CLI_VERSION, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 all delivered / valid, 1 failed, 2 partial (rows rejected), 3 configuration, 130 interrupted.

Examples:
  $ floe validate --spec floe.yaml
  $ floe egress plan --destination crm
  $ FLOE_SECRETS_DIR=/var/run/secrets/floe floe egress run --json`,
    );
  registerValidate(program, context, done);
  registerEgress(program, context, done);
  registerPlugins(program, context, done);
  program.commands.forEach((command) => exitOverrideAll(command));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return ExitCode.OK;
      // Usage errors (unknown option, missing argument) are configuration errors: nothing ran.
      return ExitCode.CONFIGURATION;
    }
    throw error;
  }
}

function exitOverrideAll(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(add --help for usage)');
  command.commands.forEach((child) => exitOverrideAll(child));
}
