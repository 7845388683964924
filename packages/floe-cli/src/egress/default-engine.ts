import {
  DltIngestionPlugin,
  SINK_TYPE_DESCRIPTORS,
  mirroredLedger,
  openStateStore,
  sinkLedger,
  sinkRunKey,
  type DltSink,
} from '@floe/ingestion-dlt';
import { openLakehouseTable } from '../source/open-lakehouse-table.js';
import { encodePreviewRows } from './encode-preview.js';
import type { EgressEngine } from './engine.js';

/**
 * The built-in engine: `@floe/ingestion-dlt`'s `DltIngestionPlugin` (sink types `rest_api` and
 * `sql_database`) and `@floe/lakehouse`'s Iceberg reader. Started here, shut down by `close()`.
 */
export async function createDefaultEngine(): Promise<EgressEngine> {
  const plugin = new DltIngestionPlugin();
  await plugin.startup();
  return {
    sinks: SINK_TYPE_DESCRIPTORS,
    createSink: (config) => plugin.createSink(config),
    write: (sink, data, options) => plugin.write(sink as DltSink, data, options),
    openSource: openLakehouseTable,
    encodeRows: encodePreviewRows,
    delivery: {
      openStateStore: (location, baseDir) => openStateStore(location, { baseDir }),
      describeRun: (sink, parts) => ({
        runKey: sinkRunKey(sink as DltSink, parts),
        batchSize: (sink as DltSink).destination.batchSize,
      }),
      sinkLedger: (sink) => sinkLedger(sink as DltSink),
      mirrored: mirroredLedger,
    },
    close: () => plugin.shutdown(),
  };
}
