import { describe, expect, it } from '@jest/globals';
import { ErrorCategory, SinkConnector, isFloeError, isSinkConnector } from '@floe/core';
import type { EgressResult, Sink, SinkConfig } from '@floe/core';
import type { Table } from 'apache-arrow';
import { comparableRows, sampleTable, tableRows } from './sample-data.js';
import type { DescribeSinkConnectorOptions, SinkCapabilities, SinkFactory, SinkUnderTest } from './sink-under-test.js';

const UNKNOWN_SINK_TYPE = '__floe_contract_unknown_sink__';
const CHECKSUM = /^[0-9a-f]{64}$/;

/** Runs `body` with a fresh sink from `factory`, closing and cleaning up whatever happens. */
async function withSink<T>(factory: SinkFactory, body: (under: SinkUnderTest) => Promise<T>): Promise<T> {
  const under = await factory();
  try {
    return await body(under);
  } finally {
    await under.cleanup?.();
  }
}

/** Creates a sink, writes `table`, and closes the sink twice (closing must be idempotent). */
async function writeTo(
  under: SinkUnderTest,
  table: Table,
  config: SinkConfig = under.config,
  signal?: AbortSignal,
): Promise<EgressResult> {
  const sink: Sink = await under.connector.createSink(config);
  try {
    return await under.connector.write(sink, table, signal ? { signal } : undefined);
  } finally {
    await sink.close();
    await sink.close();
  }
}

/**
 * Registers the SinkConnector contract suite (SC-006): any sink — ours or a third party's — that
 * passes it can be used by floe. Call it at the top level of a jest test file; checks for
 * a check for a capability the sink lacks is not registered (never reported as skipped).
 *
 * @example
 * ```ts
 * import { describeSinkConnector } from '@floe/contract-tests';
 * describeSinkConnector(makeRestApiSink, { recordIds: true, fieldMapping: true, emptyInput: true });
 * ```
 */
export function describeSinkConnector(
  factory: SinkFactory,
  capabilities: SinkCapabilities,
  options: DescribeSinkConnectorOptions = {},
): void {
  const sample = options.sample ?? sampleTable;
  const key = options.key ?? 'id';
  const fields = sample().schema.fields.map((field) => field.name);
  const expected = comparableRows(tableRows(sample()), fields, key);
  // A capability the sink lacks registers no test at all: the suite never reports skipped tests.
  const itIf = (enabled: boolean): typeof it | ((...args: Parameters<typeof it>) => void) =>
    enabled ? it : () => undefined;

  describe(options.title ?? 'SinkConnector contract', () => {
    it('is detected as a SinkConnector', () =>
      withSink(factory, async ({ connector }) => {
        expect(isSinkConnector(connector)).toBe(true);
        expect(connector instanceof SinkConnector).toBe(true);
      }));

    it('lists its sink types, including the configured one', () =>
      withSink(factory, async ({ connector, config }) => {
        const sinks = connector.listAvailableSinks();
        expect(sinks.length).toBeGreaterThan(0);
        for (const sink of sinks) expect(typeof sink).toBe('string');
        expect(sinks).toContain(config.sinkType);
      }));

    it('rejects an unknown sink type with a CONFIGURATION error, before any I/O', () =>
      withSink(factory, async (under) => {
        const error = await under.connector.createSink(under.config.with({ sinkType: UNKNOWN_SINK_TYPE })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isFloeError(error)).toBe(true);
        expect((error as { category?: unknown }).category).toBe(ErrorCategory.CONFIGURATION);
        expect(await under.readBack()).toEqual([]);
      }));

    it('delivers exactly the rows of an Arrow table', () =>
      withSink(factory, async (under) => {
        await writeTo(under, sample());
        expect(comparableRows(await under.readBack(), fields, key)).toEqual(expected);
      }));

    it('returns a receipt describing the delivery', () =>
      withSink(factory, async (under) => {
        const before = Date.now();
        const receipt = await writeTo(under, sample());
        expect(receipt).toMatchObject({ success: true, rowsDelivered: expected.length, errors: [] });
        expect(receipt.bytesTransmitted).toBeGreaterThan(0);
        expect(receipt.durationSeconds).toBeGreaterThanOrEqual(0);
        expect(receipt.checksum).toMatch(CHECKSUM);
        expect(receipt.deliveryTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        expect(Date.parse(receipt.deliveryTimestamp)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(receipt.deliveryTimestamp)).toBeLessThanOrEqual(Date.now() + 1000);
        expect(typeof receipt.idempotencyKey).toBe('string');
        expect(receipt.idempotencyKey.length).toBeGreaterThan(0);
      }));

    it('derives the same idempotency key for the same data, and another for other data', async () => {
      const first = await withSink(factory, (under) => writeTo(under, sample()));
      const second = await withSink(factory, (under) => writeTo(under, sample()));
      const other = await withSink(factory, (under) => writeTo(under, sample().slice(0, 1)));
      expect(second.idempotencyKey).toBe(first.idempotencyKey);
      expect(other.idempotencyKey).not.toBe(first.idempotencyKey);
    });

    itIf(capabilities.recordIds)('returns one destination record id per delivered row', () =>
      withSink(factory, async (under) => {
        const receipt = await writeTo(under, sample());
        expect(receipt.destinationRecordIds).toHaveLength(expected.length);
        for (const id of receipt.destinationRecordIds) expect(typeof id).toBe('string');
      }),
    );

    itIf(capabilities.fieldMapping)('renames columns by the field mapping', () =>
      withSink(factory, async (under) => {
        const source = fields.find((field) => field !== key) ?? key;
        const target = `${source}_mapped`;
        await writeTo(under, sample(), under.config.with({ fieldMapping: { [source]: target } }));
        const rows = await under.readBack();
        expect(rows).toHaveLength(expected.length);
        for (const row of rows) expect(row).not.toHaveProperty(source);
        const renamed = rows.map(({ [target]: value, ...rest }) => ({ ...rest, [source]: value }));
        expect(comparableRows(renamed, fields, key)).toEqual(expected);
      }),
    );

    itIf(capabilities.emptyInput)('delivers an empty table as a success with zero rows', () =>
      withSink(factory, async (under) => {
        const receipt = await writeTo(under, sample().slice(0, 0));
        expect(receipt).toMatchObject({ success: true, rowsDelivered: 0, errors: [] });
        expect(await under.readBack()).toEqual([]);
      }),
    );

    it('delivers nothing when the signal is already aborted', () =>
      withSink(factory, async (under) => {
        const controller = new AbortController();
        controller.abort(new Error('cancelled by the contract suite'));
        const outcome = await writeTo(under, sample(), under.config, controller.signal).then(
          (receipt) => ({ rejected: false as const, receipt }),
          () => ({ rejected: true as const }),
        );
        if (!outcome.rejected) expect(outcome.receipt.success).toBe(false);
        expect(await under.readBack()).toEqual([]);
      }));
  });
}
