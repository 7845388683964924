import type { Waiting } from './wait-watch.js';
import type { WriteIsolatingEvent, WriteProgress } from '@floe/core';
import type { DeliveryOutcome } from '../egress/deliver.js';
import type { DestinationPreview } from '@floe/core';
import type { PreparedDestination } from '../egress/prepare-destination.js';

/** What `egress run` reports as it goes; a human (TTY) and a JSON-lines implementation exist. */
export interface RunReporter {
  started(info: {
    runId: string;
    product: { name: string; version: string };
    spec: string;
    destinations: readonly PreparedDestination[];
  }): void;
  destinationStarted(prepared: PreparedDestination): void;
  progress(prepared: PreparedDestination, progress: WriteProgress): void;
  /** Nothing was acknowledged for a while, or the connector retries: say so rather than stay silent. */
  waiting(prepared: PreparedDestination, waiting: Waiting): void;
  /** A refused batch's rows are being isolated (tried one by one): how far it got. */
  isolating(prepared: PreparedDestination, isolating: WriteIsolatingEvent): void;
  destinationFinished(prepared: PreparedDestination, outcome: DeliveryOutcome, receiptFile: string): void;
  skipped(destination: string, reason: string): void;
  /** Problems found before anything was written (each line already `file: path: message`). */
  problems(lines: readonly string[]): void;
  preview(prepared: PreparedDestination, preview: DestinationPreview, limit: number): void;
  finished(info: {
    runId: string;
    exitCode: number;
    runDir: string | undefined;
    statuses: Readonly<Record<string, string>>;
  }): void;
}
