/** Brand symbols: identity checks that survive duplicate copies of this package in one process. */
export const INGESTION_ERROR = Symbol.for('floe.ingestion.error');
export const SINK_CONNECTION_ERROR = Symbol.for('floe.ingestion.sink-connection-error');
export const SINK_WRITE_ERROR = Symbol.for('floe.ingestion.sink-write-error');
export const SINK_CONFIGURATION_ERROR = Symbol.for('floe.ingestion.sink-configuration-error');

/** Sets a non-enumerable brand on `target`. */
export function brand(target: object, symbol: symbol): void {
  Object.defineProperty(target, symbol, { value: true });
}

/** True when `value` is an object carrying `symbol`. */
export function hasBrand(value: unknown, symbol: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbol] === true;
}
