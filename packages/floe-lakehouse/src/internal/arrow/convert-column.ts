import { Data, Type, type DataType, type Field } from 'apache-arrow';
import { IcebergMetadataError } from '../../errors.js';
import type { IcebergType } from '../metadata/iceberg-schema.js';
import { castPrimitive, decodeDictionary } from './cast-primitive.js';
import { constantData } from './constant-data.js';
import type { FileNode } from './file-schema.js';
import { valueFromJson } from './iceberg-values.js';

type AnyData = Data<DataType>;

function mismatch(src: AnyData, target: IcebergType, path: string): Error {
  return new IcebergMetadataError(
    `Column "${path}": data file type ${String(src.type)} cannot be read as Iceberg ${target.kind}`,
  );
}

function int32Offsets(src: AnyData, path: string): Int32Array {
  if (src.type.typeId !== Type.LargeList) return src.valueOffsets as Int32Array;
  const large = src.valueOffsets as unknown as BigInt64Array;
  const out = new Int32Array(src.length + 1);
  for (let i = 0; i <= src.length; i++) {
    const v = Number(large[i]);
    if (v > 0x7fffffff) throw new IcebergMetadataError(`Column "${path}": list offsets exceed 2^31`);
    out[i] = v;
  }
  return out;
}

/**
 * Converts a column read from a data file into the Arrow representation of its Iceberg type:
 * nested fields are matched by field id (so renamed fields keep their data), fields missing from
 * the file are filled with their `initial-default` (or null), and primitives are cast as needed.
 */
export function convertColumn(
  src: AnyData,
  node: FileNode,
  target: IcebergType,
  type: DataType,
  path: string,
): AnyData {
  if (src.type.typeId === Type.Dictionary) src = decodeDictionary(src);
  switch (target.kind) {
    case 'primitive':
      return castPrimitive(src, target, type, path);
    case 'struct': {
      if (src.type.typeId !== Type.Struct) throw mismatch(src, target, path);
      const children = target.fields.map((f, i) => {
        const childType = (type.children[i] as Field).type;
        const index = node.children.findIndex((c) => c.id === f.id);
        const childNode = node.children[index];
        if (!childNode)
          return constantData(
            f.type,
            childType,
            valueFromJson(f.type, f.initialDefault, `${path}.${f.name}`),
            src.length,
          );
        return convertColumn(src.children[index] as AnyData, childNode, f.type, childType, `${path}.${f.name}`);
      });
      return new Data(type, src.offset, src.length, src.nullCount, [undefined, undefined, src.nullBitmap], children);
    }
    case 'list': {
      const isList = src.type.typeId === Type.List || src.type.typeId === Type.LargeList;
      const elementNode = node.children[0];
      if (!isList || !elementNode) throw mismatch(src, target, path);
      const child = convertColumn(
        src.children[0] as AnyData,
        elementNode,
        target.element,
        (type.children[0] as Field).type,
        `${path}.element`,
      );
      return new Data(
        type,
        src.offset,
        src.length,
        src.nullCount,
        [int32Offsets(src, path), undefined, src.nullBitmap],
        [child],
      );
    }
    case 'map': {
      const [keyNode, valueNode] = node.children;
      if (src.type.typeId !== Type.Map || !keyNode || !valueNode) throw mismatch(src, target, path);
      const entries = src.children[0] as AnyData;
      const entriesType = (type.children[0] as Field).type;
      const key = convertColumn(
        entries.children[0] as AnyData,
        keyNode,
        target.key,
        (entriesType.children[0] as Field).type,
        `${path}.key`,
      );
      const value = convertColumn(
        entries.children[1] as AnyData,
        valueNode,
        target.value,
        (entriesType.children[1] as Field).type,
        `${path}.value`,
      );
      const entriesData = new Data(
        entriesType,
        entries.offset,
        entries.length,
        entries.nullCount,
        [undefined, undefined, entries.nullBitmap],
        [key, value],
      );
      return new Data(
        type,
        src.offset,
        src.length,
        src.nullCount,
        [src.valueOffsets, undefined, src.nullBitmap],
        [entriesData],
      );
    }
  }
}
