import { Type, type DataType } from 'apache-arrow';
import type { TimeUnitCode } from '../../internal/arrow-values/split-epoch.js';

export type { TimeUnitCode };

/** What an Arrow column holds, reduced to what the SQL side needs to know. */
export type ColumnKind =
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }
  | { readonly kind: 'float'; readonly bits: 16 | 32 | 64 }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'utf8' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp'; readonly unit: TimeUnitCode; readonly timezone: string | undefined }
  | { readonly kind: 'time'; readonly unit: TimeUnitCode }
  | { readonly kind: 'json' }
  | { readonly kind: 'null' };

/**
 * Classifies an Arrow type (dictionaries by their value type); a string says why the type is not supported.
 *
 * @example
 * ```ts
 * columnKind(new Int64()); // { kind: 'int', bits: 64, signed: true }
 * ```
 */
export function columnKind(type: DataType): ColumnKind | string {
  switch (type.typeId) {
    case Type.Dictionary:
      return columnKind((type as unknown as { dictionary: DataType }).dictionary);
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: 8 | 16 | 32 | 64; isSigned: boolean };
      return { kind: 'int', bits: bitWidth, signed: isSigned };
    }
    case Type.Float: {
      const precision = (type as unknown as { precision: 0 | 1 | 2 }).precision;
      return { kind: 'float', bits: precision === 0 ? 16 : precision === 1 ? 32 : 64 };
    }
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number };
      return { kind: 'decimal', precision, scale };
    }
    case Type.Bool:
      return { kind: 'bool' };
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return { kind: 'utf8' };
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return { kind: 'binary' };
    case Type.Date:
      return { kind: 'date' };
    case Type.Timestamp: {
      const { unit, timezone } = type as unknown as { unit: TimeUnitCode; timezone?: string | null };
      return { kind: 'timestamp', unit, timezone: timezone ?? undefined };
    }
    case Type.Time:
      return { kind: 'time', unit: (type as unknown as { unit: TimeUnitCode }).unit };
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map:
      return { kind: 'json' };
    case Type.Null:
      return { kind: 'null' };
    default:
      return `Arrow type ${String(type)} is not supported by the sql_database sink`;
  }
}

/** A short description of an Arrow type for messages, e.g. `Int64`, `Decimal(38,10)`, `Timestamp(µs, UTC)`. */
export function describeArrowType(type: DataType): string {
  const kind = columnKind(type);
  if (typeof kind === 'string') return String(type);
  if (kind.kind === 'decimal') return `Decimal(${kind.precision},${kind.scale})`;
  if (kind.kind === 'timestamp') {
    return `Timestamp(${UNIT_NAMES[kind.unit]}${kind.timezone === undefined ? '' : `, ${kind.timezone}`})`;
  }
  return String(type);
}

const UNIT_NAMES = ['s', 'ms', 'µs', 'ns'] as const;
