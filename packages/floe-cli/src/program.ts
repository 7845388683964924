import { Command, CommanderError, Option } from 'commander';
import { registerDestination } from './commands/destination-test.js';
import { registerEgress } from './commands/egress.js';
import { registerInit } from './commands/init.js';
import { registerPlugins } from './commands/plugins.js';
import { registerValidate } from './commands/validate.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-code.js';
import { OUTPUT_FORMATS, type OutputSettings } from './output/output-settings.js';
import type { GovernanceSettings } from './project/governance.js';
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
    .addOption(
      new Option('--format <format>', 'human (even when stdout is not a terminal) or json (as --json)').choices(
        OUTPUT_FORMATS,
      ),
    )
    .option('-q, --quiet', 'print only problems and the result')
    .option('-v, --verbose', 'also print debug lines on stderr')
    .option('--strict', 'a floe.yaml without platform.manifest (no governance) is an error (exit 3), not a warning')
    .addHelpText(
      'after',
      `
Output: JSON lines when stdout is not a terminal (--format human to keep text), colour on a terminal
unless NO_COLOR is set, ASCII instead of ✔ ✘ ▲ █ when the locale (LC_ALL, LANG) is not UTF-8.

Exit codes: 0 all delivered / valid, 1 failed, 2 partial (rows rejected), 3 configuration, 130 interrupted.

Examples:
  $ floe init my-product
  $ floe validate --spec floe.yaml
  $ floe egress plan --destination crm
  $ floe destination test
  $ FLOE_SECRETS_DIR=/var/run/secrets/floe floe egress run --json`,
    );
  // Global options may come before or after the command; they are read just before its action runs.
  const output: OutputSettings = {};
  const governance: GovernanceSettings = {};
  program.hook('preAction', () => {
    const global = program.opts<{
      format?: OutputSettings['format'];
      quiet?: boolean;
      verbose?: boolean;
      strict?: boolean;
    }>();
    output.format = global.format;
    output.quiet = global.quiet === true && global.verbose !== true;
    output.verbose = global.verbose === true;
    governance.strict = global.strict === true;
  });
  const withOutput: CliContext = { ...context, output, governance };
  registerInit(program, withOutput, done);
  registerValidate(program, withOutput, done);
  registerEgress(program, withOutput, done);
  registerDestination(program, withOutput, done);
  registerPlugins(program, withOutput, done);
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
