import { Type, type Field, type Schema } from 'apache-arrow';
import { IcebergMetadataError } from '../../errors.js';
import { parseJson } from '../util/parse-json.js';
import { asRecord } from '../util/values.js';

/** A data file column (or nested field) with the Iceberg field id it carries. */
export interface FileNode {
  name: string;
  field: Field;
  id: number | undefined;
  /** Struct fields; `[element]` for lists; `[key, value]` for maps. */
  children: FileNode[];
}

/** One entry of the `schema.name-mapping.default` table property. */
export interface NameMappingEntry {
  fieldId: number | undefined;
  names: string[];
  fields: NameMappingEntry[];
}

function parseEntries(json: unknown): NameMappingEntry[] {
  if (!Array.isArray(json)) return [];
  return json.map((raw) => {
    const e = asRecord(raw) ?? {};
    const id = e['field-id'];
    return {
      fieldId: typeof id === 'number' ? id : undefined,
      names: Array.isArray(e.names) ? e.names.map(String) : [],
      fields: parseEntries(e.fields),
    };
  });
}

/** Parses the `schema.name-mapping.default` property (undefined when absent). */
export function parseNameMapping(text: string | undefined): NameMappingEntry[] | undefined {
  if (text === undefined) return undefined;
  try {
    return parseEntries(parseJson(text, 'schema.name-mapping.default'));
  } catch (cause) {
    throw new IcebergMetadataError(`Invalid schema.name-mapping.default table property: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Reverses the `_xHH` escaping Iceberg Java applies to column names that are not valid Avro names. */
function unescapeName(name: string): string {
  return name.replace(/_x([0-9A-Fa-f]{2,4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function findMapping(entries: NameMappingEntry[] | undefined, name: string): NameMappingEntry | undefined {
  if (!entries) return undefined;
  const plain = unescapeName(name);
  return entries.find((e) => e.names.includes(name) || e.names.includes(plain));
}

function fieldId(field: Field): number | undefined {
  const raw = field.metadata.get('PARQUET:field_id');
  const id = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(id) ? id : undefined;
}

function childFields(field: Field): Field[] {
  const t = field.type;
  if (t.typeId === Type.Map) return ((t.children[0] as Field).type.children as Field[]).slice(0, 2);
  if (
    t.typeId === Type.Struct ||
    t.typeId === Type.List ||
    t.typeId === Type.LargeList ||
    t.typeId === Type.FixedSizeList
  ) {
    return t.children as Field[];
  }
  return [];
}

function toNode(field: Field, mapping: NameMappingEntry | undefined, useMapping: boolean): FileNode {
  const id = useMapping ? mapping?.fieldId : fieldId(field);
  const kind = field.type.typeId;
  const children = childFields(field).map((child, i) => {
    let m: NameMappingEntry | undefined;
    if (useMapping && mapping) {
      m =
        kind === Type.Struct
          ? findMapping(mapping.fields, child.name)
          : (findMapping(mapping.fields, kind === Type.Map ? (i === 0 ? 'key' : 'value') : 'element') ??
            mapping.fields[i]);
    }
    return toNode(child, m, useMapping);
  });
  return { name: field.name, field, id, children };
}

/**
 * Field-id tree of a data file schema: ids come from the Parquet field ids, or — for files written
 * without ids (migrated tables) — from the table's name mapping. Returns `hasIds: false` when
 * neither is available.
 */
export function fileNodes(
  schema: Schema,
  nameMapping: NameMappingEntry[] | undefined,
): { nodes: FileNode[]; hasIds: boolean } {
  const withIds = schema.fields.some((f) => fieldId(f) !== undefined);
  if (withIds) return { nodes: schema.fields.map((f) => toNode(f, undefined, false)), hasIds: true };
  if (!nameMapping)
    return { nodes: schema.fields.map((f) => toNode(f, undefined, false)), hasIds: schema.fields.length === 0 };
  return { nodes: schema.fields.map((f) => toNode(f, findMapping(nameMapping, f.name), true)), hasIds: true };
}
