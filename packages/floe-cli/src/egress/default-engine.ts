import { isResumableSinkConnector, type Sink, type SinkConnector } from '@floe/core';
import { discoverSinkConnectors, type DiscoverOptions } from '../plugins/discover-sink-connectors.js';
import { openLakehouseTable } from '../source/open-lakehouse-table.js';
import { genericRows } from './generic-rows.js';
import type { EgressEngine } from './engine.js';

/** Options of {@link createDefaultEngine}: where plugins are discovered. */
export type EngineOptions = DiscoverOptions;

/**
 * The engine of the real CLI: the sink types of every installed plugin (found through `PluginRegistry`, see
 * `discoverSinkConnectors`) and `@floe/lakehouse`'s Iceberg reader. Plugins are started here and shut down
 * by `close()`. A sink is written by the connector that created it.
 */
export async function createDefaultEngine(options: EngineOptions): Promise<EgressEngine> {
  const found = await discoverSinkConnectors(options);
  const owners = new WeakMap<Sink, SinkConnector>();
  const ownerOf = (sink: Sink): SinkConnector => {
    const owner = owners.get(sink);
    if (owner === undefined) throw new TypeError(`sink "${sink.name}" was not created by this engine`);
    return owner;
  };
  return {
    sinks: [...found.sinkTypes.values()].map((offer) => offer.descriptor),
    plugins: found.plugins,
    problems: found.problems,
    descriptor: (sinkType) => found.sinkTypes.get(sinkType)?.descriptor,
    createSink: async (config) => {
      const offer = found.sinkTypes.get(config.sinkType);
      if (offer === undefined) throw new TypeError(`no installed plugin offers sink type "${config.sinkType}"`);
      const sink = await offer.connector.createSink(config);
      owners.set(sink, offer.connector);
      return sink;
    },
    write: (sink, data, writeOptions) => ownerOf(sink).write(sink, data, writeOptions),
    describeDelivery: (sink, parts) => {
      const owner = ownerOf(sink);
      return isResumableSinkConnector(owner) ? owner.describeDelivery(sink, parts) : undefined;
    },
    resumable: (sinkType) => isResumableSinkConnector(found.sinkTypes.get(sinkType)?.connector),
    openSource: openLakehouseTable,
    encodeRows: (config, batch, limit) =>
      found.sinkTypes.get(config.sinkType)?.descriptor.encodeRows?.(config, batch, limit) ??
      genericRows(config, batch, limit),
    close: async () => {
      await Promise.allSettled(
        found.loaded.map((plugin) => (plugin as { shutdown?: () => Promise<void> }).shutdown?.()),
      );
    },
  };
}
