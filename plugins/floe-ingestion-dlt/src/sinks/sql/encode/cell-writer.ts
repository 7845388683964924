import type { ByteWriter } from './byte-writer.js';

/** Writes one COPY field of row `index` (binary: length word and bytes; text: the escaped text). */
export type CellWriter = (out: ByteWriter, index: number) => void;
