/** Avro schemas of Iceberg manifest lists and manifests (v1, v2, v3), with Iceberg field ids. */

type AvroField = Record<string, unknown>;

const opt = (name: string, type: unknown, id: number): AvroField => ({
  name,
  type: ['null', type],
  default: null,
  'field-id': id,
});
const req = (name: string, type: unknown, id: number): AvroField => ({ name, type, 'field-id': id });

const kv = (name: string, keyId: number, valueId: number, valueType: unknown): unknown => ({
  type: 'array',
  logicalType: 'map',
  items: { type: 'record', name, fields: [req('key', 'int', keyId), req('value', valueType, valueId)] },
});

/** Avro type of an identity partition value for an Iceberg primitive type. */
export function partitionAvroType(icebergType: string): unknown {
  switch (icebergType) {
    case 'int':
      return 'int';
    case 'long':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'date':
      return { type: 'int', logicalType: 'date' };
    default:
      throw new Error(
        `writeIcebergTable supports identity partitions on int, long, string, boolean and date, not ${icebergType}`,
      );
  }
}

/** `manifest_entry` for a format version and partition record fields. */
export function manifestEntrySchema(formatVersion: number, partitionFields: AvroField[]): Record<string, unknown> {
  const partition = { type: 'record', name: 'r102', fields: partitionFields };
  const dataFile: AvroField[] = [
    ...(formatVersion >= 2 ? [req('content', 'int', 134)] : []),
    req('file_path', 'string', 100),
    req('file_format', 'string', 101),
    req('partition', partition, 102),
    req('record_count', 'long', 103),
    req('file_size_in_bytes', 'long', 104),
    ...(formatVersion === 1 ? [req('block_size_in_bytes', 'long', 105)] : []),
    opt('column_sizes', kv('k117_v118', 117, 118, 'long'), 108),
    opt('value_counts', kv('k119_v120', 119, 120, 'long'), 109),
    opt('null_value_counts', kv('k121_v122', 121, 122, 'long'), 110),
    opt('lower_bounds', kv('k126_v127', 126, 127, 'bytes'), 125),
    opt('upper_bounds', kv('k129_v130', 129, 130, 'bytes'), 128),
    opt('key_metadata', 'bytes', 131),
    opt('split_offsets', { type: 'array', items: 'long', 'element-id': 133 }, 132),
    ...(formatVersion >= 2 ? [opt('equality_ids', { type: 'array', items: 'int', 'element-id': 136 }, 135)] : []),
    opt('sort_order_id', 'int', 140),
    ...(formatVersion >= 2 ? [opt('referenced_data_file', 'string', 143)] : []),
    ...(formatVersion >= 3 ? [opt('content_offset', 'long', 144), opt('content_size_in_bytes', 'long', 145)] : []),
  ];
  return {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      req('status', 'int', 0),
      formatVersion === 1 ? req('snapshot_id', 'long', 1) : opt('snapshot_id', 'long', 1),
      ...(formatVersion >= 2 ? [opt('sequence_number', 'long', 3), opt('file_sequence_number', 'long', 4)] : []),
      req('data_file', { type: 'record', name: 'r2', fields: dataFile }, 2),
    ],
  };
}

/** `manifest_file` (an entry of a manifest list) for a format version. */
export function manifestFileSchema(formatVersion: number): Record<string, unknown> {
  const summary = {
    type: 'array',
    'element-id': 508,
    items: {
      type: 'record',
      name: 'r508',
      fields: [
        req('contains_null', 'boolean', 509),
        opt('contains_nan', 'boolean', 518),
        opt('lower_bound', 'bytes', 510),
        opt('upper_bound', 'bytes', 511),
      ],
    },
  };
  if (formatVersion === 1) {
    return {
      type: 'record',
      name: 'manifest_file',
      fields: [
        req('manifest_path', 'string', 500),
        req('manifest_length', 'long', 501),
        req('partition_spec_id', 'int', 502),
        opt('added_snapshot_id', 'long', 503),
        opt('added_data_files_count', 'int', 504),
        opt('existing_data_files_count', 'int', 505),
        opt('deleted_data_files_count', 'int', 506),
        opt('partitions', summary, 507),
        opt('added_rows_count', 'long', 512),
        opt('existing_rows_count', 'long', 513),
        opt('deleted_rows_count', 'long', 514),
      ],
    };
  }
  return {
    type: 'record',
    name: 'manifest_file',
    fields: [
      req('manifest_path', 'string', 500),
      req('manifest_length', 'long', 501),
      req('partition_spec_id', 'int', 502),
      req('content', 'int', 517),
      req('sequence_number', 'long', 515),
      req('min_sequence_number', 'long', 516),
      req('added_snapshot_id', 'long', 503),
      req('added_files_count', 'int', 504),
      req('existing_files_count', 'int', 505),
      req('deleted_files_count', 'int', 506),
      req('added_rows_count', 'long', 512),
      req('existing_rows_count', 'long', 513),
      req('deleted_rows_count', 'long', 514),
      opt('partitions', summary, 507),
      opt('key_metadata', 'bytes', 519),
    ],
  };
}
