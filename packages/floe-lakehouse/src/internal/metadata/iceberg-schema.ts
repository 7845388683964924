import { IcebergMetadataError } from '../../errors.js';
import { asRecord, describe, toSafeNumber } from '../util/values.js';

/** Iceberg primitive type names this reader maps to Arrow. */
export type PrimitiveName =
  | 'boolean'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'decimal'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'timestamp_ns'
  | 'timestamptz_ns'
  | 'string'
  | 'uuid'
  | 'fixed'
  | 'binary'
  /** A type this reader does not know (v3 variant, geometry, unknown…): fails only when projected. */
  | 'unsupported';

export interface PrimitiveType {
  kind: 'primitive';
  name: PrimitiveName;
  /** The type as written in the metadata, e.g. `decimal(10, 2)`. */
  text: string;
  precision?: number;
  scale?: number;
  length?: number;
}

export interface NestedField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
  /** JSON single-value default for rows written before the field existed (v3 / PyIceberg). */
  initialDefault?: unknown;
}

export interface StructType {
  kind: 'struct';
  fields: NestedField[];
}

export interface ListType {
  kind: 'list';
  elementId: number;
  elementRequired: boolean;
  element: IcebergType;
}

export interface MapType {
  kind: 'map';
  keyId: number;
  key: IcebergType;
  valueId: number;
  valueRequired: boolean;
  value: IcebergType;
}

export type IcebergType = PrimitiveType | StructType | ListType | MapType;

export interface IcebergSchema {
  schemaId: number;
  fields: NestedField[];
}

const SIMPLE: ReadonlySet<string> = new Set([
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'timestamp_ns',
  'timestamptz_ns',
  'string',
  'uuid',
  'binary',
]);

function parsePrimitive(text: string): PrimitiveType {
  const t = text.trim().toLowerCase();
  if (SIMPLE.has(t)) return { kind: 'primitive', name: t as PrimitiveName, text: t };
  const decimal = /^decimal\s*\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/.exec(t);
  if (decimal) {
    return { kind: 'primitive', name: 'decimal', text: t, precision: Number(decimal[1]), scale: Number(decimal[2]) };
  }
  const fixed = /^fixed\s*\[\s*(\d+)\s*\]$/.exec(t);
  if (fixed) return { kind: 'primitive', name: 'fixed', text: t, length: Number(fixed[1]) };
  return { kind: 'primitive', name: 'unsupported', text: t };
}

/** Parses an Iceberg JSON type (primitive string, struct, list or map). */
export function parseType(json: unknown, where: string): IcebergType {
  if (typeof json === 'string') return parsePrimitive(json);
  const obj = asRecord(json);
  if (!obj) throw new IcebergMetadataError(`Invalid Iceberg type at ${where}: ${describe(json)}`);
  switch (obj.type) {
    case 'struct':
      return { kind: 'struct', fields: parseFields(obj.fields, where) };
    case 'list':
      return {
        kind: 'list',
        elementId: toSafeNumber(obj['element-id'], `${where}.element-id`),
        elementRequired: obj['element-required'] === true,
        element: parseType(obj.element, `${where}.element`),
      };
    case 'map':
      return {
        kind: 'map',
        keyId: toSafeNumber(obj['key-id'], `${where}.key-id`),
        key: parseType(obj.key, `${where}.key`),
        valueId: toSafeNumber(obj['value-id'], `${where}.value-id`),
        valueRequired: obj['value-required'] === true,
        value: parseType(obj.value, `${where}.value`),
      };
    default:
      return { kind: 'primitive', name: 'unsupported', text: JSON.stringify(obj.type ?? null) };
  }
}

function parseFields(json: unknown, where: string): NestedField[] {
  if (!Array.isArray(json)) throw new IcebergMetadataError(`Invalid struct fields at ${where}`);
  return json.map((raw, i) => {
    const f = asRecord(raw);
    if (!f || typeof f.name !== 'string') throw new IcebergMetadataError(`Invalid field #${i} at ${where}`);
    const field: NestedField = {
      id: toSafeNumber(f.id, `${where}.${f.name}.id`),
      name: f.name,
      required: f.required === true,
      type: parseType(f.type, `${where}.${f.name}`),
    };
    if (typeof f.doc === 'string') field.doc = f.doc;
    if ('initial-default' in f && f['initial-default'] !== null) field.initialDefault = f['initial-default'];
    return field;
  });
}

/** Parses one entry of `schemas` (or the v1 `schema`). */
export function parseSchema(json: unknown, where = 'schema'): IcebergSchema {
  const obj = asRecord(json);
  if (!obj) throw new IcebergMetadataError(`Invalid Iceberg schema at ${where}`);
  const schemaId = obj['schema-id'] === undefined ? 0 : toSafeNumber(obj['schema-id'], `${where}.schema-id`);
  return { schemaId, fields: parseFields(obj.fields, where) };
}

/** Finds a field by id anywhere in a schema (structs, list elements, map keys/values are traversed). */
export function findFieldById(fields: readonly NestedField[], id: number): NestedField | undefined {
  for (const field of fields) {
    if (field.id === id) return field;
    const nested = nestedFields(field.type);
    const found = nested.length > 0 ? findFieldById(nested, id) : undefined;
    if (found) return found;
  }
  return undefined;
}

function nestedFields(type: IcebergType): NestedField[] {
  switch (type.kind) {
    case 'struct':
      return type.fields;
    case 'list':
      return [{ id: type.elementId, name: 'element', required: type.elementRequired, type: type.element }];
    case 'map':
      return [
        { id: type.keyId, name: 'key', required: true, type: type.key },
        { id: type.valueId, name: 'value', required: type.valueRequired, type: type.value },
      ];
    default:
      return [];
  }
}
