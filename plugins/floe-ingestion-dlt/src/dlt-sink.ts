import type { Sink, SinkConfig } from '@floe/core';
import type { Destination } from './engine/destination/destination.js';

/**
 * A sink created by `DltIngestionPlugin.createSink`: the validated config and its dlt destination.
 * `close()` releases the destination's connections; it is idempotent.
 */
export class DltSink implements Sink {
  readonly sinkType: string;
  readonly name: string;
  private closing: Promise<void> | undefined;

  constructor(
    readonly config: SinkConfig,
    readonly destination: Destination,
    private readonly onClose: (sink: DltSink) => void = () => {},
  ) {
    this.sinkType = config.sinkType;
    this.name = config.name;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.destination.hooks.close?.();
      } finally {
        this.onClose(this);
      }
    })();
    return this.closing;
  }

  toJSON(): Record<string, unknown> {
    return { sinkType: this.sinkType, name: this.name, closed: this.closed };
  }
}
