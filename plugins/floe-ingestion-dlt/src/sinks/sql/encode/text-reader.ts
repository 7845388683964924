import type { Data } from 'apache-arrow';
import type { ColumnKind } from '../column-kind.js';
import { jsonTextReader } from './json-text.js';
import { scalarTextReader, type TextReader } from './scalar-text-reader.js';
import type { TimestampStyle } from './temporal.js';

/**
 * A reader of a column's values as exact text (see {@link scalarTextReader}); nested values as JSON text
 * (see {@link jsonTextReader}).
 */
export function textReader(data: Data, kind: ColumnKind, style: TimestampStyle): TextReader {
  return kind.kind === 'json' ? jsonTextReader(data) : scalarTextReader(data, kind, style);
}
