/** A batch to encode, sent to a JSON encoding thread. */
export interface EncodeRequest {
  readonly id: number;
  /** The batch as an Arrow IPC stream (one record batch). */
  readonly ipc: Uint8Array;
}

/** A JSON encoding thread's answer: the encoded body, or why it could not encode the batch. */
export type EncodeAnswer =
  | { readonly id: number; readonly body: Uint8Array; readonly ends: Uint32Array; readonly openBytes: number }
  | { readonly id: number; readonly error: string };
