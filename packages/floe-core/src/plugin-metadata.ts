import type { ZodType } from 'zod';

/** Health of a plugin as reported by {@link PluginMetadata.healthCheck}. */
export type HealthState = 'healthy' | 'degraded' | 'unhealthy';

/** The result of a health check. `details` must never carry secrets. */
export interface HealthStatus {
  readonly state: HealthState;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * What every floe plugin declares about itself, and its lifecycle.
 *
 * @example
 * ```ts
 * class MyPlugin extends PluginMetadata {
 *   readonly name = 'my-plugin';
 *   readonly version = '1.2.0';
 *   readonly floeApiVersion = '1.0';
 *   readonly description = 'Does one thing well';
 * }
 * ```
 */
export abstract class PluginMetadata {
  /** Unique name within its plugin type, e.g. `dlt`. */
  abstract readonly name: string;
  /** The plugin's own semver version. */
  abstract readonly version: string;
  /** The floe plugin API version it was built for (`"MAJOR.MINOR"`). */
  abstract readonly floeApiVersion: string;
  /** One line saying what the plugin does. */
  abstract readonly description: string;
  /** Names of plugins this one needs loaded first. */
  get dependencies(): readonly string[] {
    return [];
  }
  /** Optional zod schema of the plugin's configuration block in `manifest.yaml`. */
  get configSchema(): ZodType | undefined {
    return undefined;
  }
  /** Acquire resources. Must be idempotent. */
  async startup(): Promise<void> {}
  /** Release resources. Must be idempotent. */
  async shutdown(): Promise<void> {}
  /** Report health within `timeoutMs` (default 5000 ms). */
  async healthCheck(timeoutMs = 5000): Promise<HealthStatus> {
    void timeoutMs;
    return { state: 'healthy', message: `${this.name} is loaded`, details: {} };
  }
}
