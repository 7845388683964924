import { DataType, type Field } from 'apache-arrow';

/** A short, SQL-like name of an Arrow type: `int64`, `decimal(15,2)`, `date`, `timestamp(us, UTC)`, `list<string>`. */
export function arrowTypeName(type: DataType): string {
  if (DataType.isInt(type)) return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  if (DataType.isFloat(type)) return ['float16', 'float32', 'float64'][type.precision] ?? 'float';
  if (DataType.isDecimal(type)) return `decimal(${type.precision},${type.scale})`;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'boolean';
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return 'binary';
  if (DataType.isFixedSizeBinary(type)) return `fixed(${type.byteWidth})`;
  if (DataType.isDate(type)) return 'date';
  if (DataType.isTime(type)) return 'time';
  if (DataType.isTimestamp(type)) {
    const unit = ['s', 'ms', 'us', 'ns'][type.unit] ?? '';
    return type.timezone ? `timestamp(${unit}, ${type.timezone})` : `timestamp(${unit})`;
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return `list<${childName(type.children[0])}>`;
  if (DataType.isStruct(type))
    return `struct<${type.children.map((child) => `${child.name}: ${arrowTypeName(child.type)}`).join(', ')}>`;
  if (DataType.isMap(type)) {
    const entries = type.children[0]?.type.children ?? [];
    return `map<${childName(entries[0])}, ${childName(entries[1])}>`;
  }
  if (DataType.isDictionary(type)) return arrowTypeName(type.dictionary);
  return String(type).toLowerCase();
}

function childName(field: Field | undefined): string {
  return field ? arrowTypeName(field.type) : '?';
}
