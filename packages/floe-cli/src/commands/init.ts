import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { SinkTypeDescriptor } from '@floe/core';
import { stringify } from 'yaml';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-code.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { Terminal } from '../output/terminal.js';
import { Redactor } from '../secrets/redactor.js';

interface InitOptions {
  readonly sinkType?: string;
}

/** A metadata name from a folder name: lower case, `-` between words. */
function projectName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name === '' ? 'my-product' : name;
}

/** floe.yaml with one destination of `sink`, its config the descriptor's example. */
export function scaffoldSpec(name: string, sink: SinkTypeDescriptor): string {
  const spec = {
    apiVersion: 'floe.dev/v1',
    kind: 'FloeSpec',
    metadata: { name, version: '0.1.0' },
    platform: { manifest: 'manifest.yaml' },
    transforms: [{ name: 'customers', tier: 'gold' }],
    destinations: [
      {
        name: 'my-destination',
        sink_type: sink.sinkType,
        connection_secret_ref: 'my-destination',
        source_table: 'data/customers',
        batch_size: 500,
        config: sink.exampleConfig ?? {},
      },
    ],
  };
  return [
    '# floe.yaml: the data product and where its Gold tables go (scaffolded by floe init).',
    '# source_table: an Iceberg table folder (relative to this file) or a catalog identifier such as gold.customers.',
    '# connection_secret_ref: its keys come from FLOE_SECRET_MY_DESTINATION_<KEY> or $FLOE_SECRETS_DIR/my-destination/<key>.',
    '# Check it with: floe validate; see what would be sent with: floe egress plan.',
    stringify(spec).trimEnd(),
    '',
  ].join('\n');
}

/** manifest.yaml approving every sink type found. */
export function scaffoldManifest(name: string, sinks: readonly SinkTypeDescriptor[]): string {
  const manifest = {
    apiVersion: 'floe.dev/v1',
    kind: 'Manifest',
    metadata: { name: `${name}-platform`, version: '0.1.0', owner: 'platform-team@example.com' },
    scope: 'enterprise',
    plugins: {},
    approved_sinks: sinks.map((sink) => sink.sinkType),
  };
  return [
    '# manifest.yaml: what the platform allows (scaffolded by floe init with the sink types installed here).',
    stringify(manifest).trimEnd(),
    '',
  ].join('\n');
}

/**
 * `floe init [dir]`: writes a floe.yaml (one destination of an installed sink type, from its descriptor's
 * example config) and a manifest.yaml approving the installed sink types, into `dir` (created if missing).
 * Refuses, exit 3, when either file exists: nothing is overwritten.
 */
export async function initCommand(dir: string | undefined, options: InitOptions, context: CliContext): Promise<number> {
  const terminal = new Terminal(context.stdout, context.stderr, new Redactor(), context.output, context.env);
  const target = resolve(context.cwd, dir ?? '.');
  const shown = (file: string) => relative(context.cwd, file) || '.';
  if (existsSync(target) && !statSync(target).isDirectory()) {
    terminal.err(`floe init: ${shown(target)} is a file, not a folder`);
    return ExitCode.CONFIGURATION;
  }
  const files = [join(target, 'floe.yaml'), join(target, 'manifest.yaml')];
  const existing = files.filter((file) => existsSync(file));
  if (existing.length > 0) {
    terminal.err(
      `floe init: ${existing.map(shown).join(' and ')} already exist${existing.length === 1 ? 's' : ''}: nothing was overwritten (init an empty folder: floe init <dir>)`,
    );
    return ExitCode.CONFIGURATION;
  }
  try {
    const engine = await context.createEngine({ projectDir: target });
    try {
      const sinks = engine.sinks;
      const sink =
        options.sinkType === undefined
          ? (sinks.find((s) => s.exampleConfig !== undefined) ?? sinks[0])
          : sinks.find((s) => s.sinkType === options.sinkType);
      if (sink === undefined) {
        const known = sinks.map((s) => s.sinkType).join(', ') || 'none (install a sink plugin)';
        terminal.err(
          `floe init: ${options.sinkType === undefined ? 'no sink type installed' : `--sink-type: unknown sink type "${options.sinkType}"`} (installed: ${known})`,
        );
        return ExitCode.CONFIGURATION;
      }
      mkdirSync(target, { recursive: true });
      const name = projectName(target);
      const [specFile, manifestFile] = files as [string, string];
      writeFileSync(specFile, scaffoldSpec(name, sink), { flag: 'wx' });
      writeFileSync(manifestFile, scaffoldManifest(name, sinks), { flag: 'wx' });
      terminal.out(`Created ${shown(specFile)} (a ${sink.sinkType} destination) and ${shown(manifestFile)}.`);
      terminal.out(`Next: edit source_table and config, then floe validate --spec ${shown(specFile)}`);
      return ExitCode.OK;
    } finally {
      await engine.close().catch(() => undefined);
    }
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  }
}

/** Registers `init`. */
export function registerInit(program: Command, context: CliContext, done: (code: number) => void): void {
  program
    .command('init')
    .argument('[dir]', 'the folder to scaffold (created if missing; default: the working directory)')
    .description('scaffold a floe.yaml and a manifest.yaml (never overwrites)')
    .option('--sink-type <type>', 'the sink type of the example destination (default: the first installed)')
    .addHelpText(
      'after',
      `
Writes floe.yaml (one destination of an installed sink type) and manifest.yaml (approving the installed
sink types). Exit 3, nothing written, when either file exists.

Examples:
  $ floe init my-product
  $ floe plugins && floe init --sink-type <type>`,
    )
    .action(async (dir: string | undefined, options: InitOptions) => done(await initCommand(dir, options, context)));
}
