/** Brand symbols: identity checks that survive duplicate copies of this package in one process. */
export const INGESTION_ERROR = Symbol.for('floe.ingestion.error');
export const SINK_CONNECTION_ERROR = Symbol.for('floe.ingestion.sink-connection-error');
export const SINK_WRITE_ERROR = Symbol.for('floe.ingestion.sink-write-error');
export const SINK_CONFIGURATION_ERROR = Symbol.for('floe.ingestion.sink-configuration-error');

export { brand, hasBrand } from '@floe/core';
