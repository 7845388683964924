import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Map_,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  type DataType,
} from 'apache-arrow';
import { IcebergUnsupportedError } from '../../errors.js';
import type { IcebergType, NestedField, PrimitiveType } from '../metadata/iceberg-schema.js';

/** Field metadata key carrying the Iceberg field id of every output column (and nested field). */
export const FIELD_ID_KEY = 'iceberg.field_id';
/** Field metadata key carrying the Iceberg type (`uuid`, `decimal(10, 2)`, `struct`, …). */
export const ICEBERG_TYPE_KEY = 'iceberg.type';

function primitiveToArrow(t: PrimitiveType, path: string): DataType {
  switch (t.name) {
    case 'boolean':
      return new Bool();
    case 'int':
      return new Int32();
    case 'long':
      return new Int64();
    case 'float':
      return new Float32();
    case 'double':
      return new Float64();
    case 'decimal':
      if ((t.precision ?? 0) > 38) {
        throw new IcebergUnsupportedError(
          `${t.text} (precision > 38)`,
          `Column "${path}": ${t.text} exceeds decimal(38) and is not supported`,
        );
      }
      return new Decimal(t.scale ?? 0, t.precision ?? 38, 128);
    case 'date':
      return new DateDay();
    case 'time':
      return new TimeMicrosecond();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'timestamptz':
      return new TimestampMicrosecond('UTC');
    case 'timestamp_ns':
      return new TimestampNanosecond();
    case 'timestamptz_ns':
      return new TimestampNanosecond('UTC');
    case 'string':
    case 'uuid': // canonical 36-character string, see README ("Arrow types")
      return new Utf8();
    case 'fixed':
      return new FixedSizeBinary(t.length ?? 0);
    case 'binary':
      return new Binary();
    default:
      throw new IcebergUnsupportedError(
        `Iceberg type ${t.text}`,
        `Column "${path}" has the unsupported Iceberg type ${t.text}`,
      );
  }
}

function meta(id: number, type: IcebergType): Map<string, string> {
  return new Map([
    [FIELD_ID_KEY, String(id)],
    [ICEBERG_TYPE_KEY, type.kind === 'primitive' ? type.text : type.kind],
  ]);
}

/** Arrow type of an Iceberg type (see the README for the mapping). */
export function icebergToArrowType(type: IcebergType, path: string): DataType {
  switch (type.kind) {
    case 'primitive':
      return primitiveToArrow(type, path);
    case 'struct':
      return new Struct(type.fields.map((f) => icebergToArrowField(f, `${path}.${f.name}`)));
    case 'list':
      return new List(
        new Field(
          'element',
          icebergToArrowType(type.element, `${path}.element`),
          !type.elementRequired,
          meta(type.elementId, type.element),
        ),
      );
    case 'map': {
      const key = new Field('key', icebergToArrowType(type.key, `${path}.key`), false, meta(type.keyId, type.key));
      const value = new Field(
        'value',
        icebergToArrowType(type.value, `${path}.value`),
        !type.valueRequired,
        meta(type.valueId, type.value),
      );
      const entries = new Struct<{ key: DataType; value: DataType }>([key, value] as never);
      return new Map_(new Field('entries', entries, false), false);
    }
  }
}

/** Arrow field (name, type, nullability, `iceberg.field_id` metadata) of an Iceberg field. */
export function icebergToArrowField(field: NestedField, path = field.name): Field {
  return new Field(field.name, icebergToArrowType(field.type, path), !field.required, meta(field.id, field.type));
}
