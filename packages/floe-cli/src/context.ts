import type { OutputSettings } from './output/output-settings.js';
import type { GovernanceSettings } from './project/governance.js';
import type { TextStream } from './output/terminal.js';
import type { SecretSource } from './secrets/secret-source.js';
import type { EgressEngine } from './egress/engine.js';
import type { EngineOptions } from './egress/default-engine.js';

/**
 * Everything a command touches outside itself, injected so tests need no module mocks:
 * working directory, environment, output streams, secrets, the egress engine, the clock and the
 * cancellation signal (Ctrl-C).
 */
export interface CliContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  /** Where connection secrets are read from. */
  readonly secrets: SecretSource;
  /** Discovers the installed plugins (from floe.yaml's folder and the CLI's installation) and the lakehouse reader. */
  readonly createEngine: (options: EngineOptions) => Promise<EgressEngine>;
  /** Aborted on Ctrl-C: runs stop between batches. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /** The global output options (`--format`, `-q`, `-v`), filled in before a command runs. */
  readonly output?: OutputSettings;
  /** The global governance options (`--strict`), filled in before a command runs. */
  readonly governance?: GovernanceSettings;
}
