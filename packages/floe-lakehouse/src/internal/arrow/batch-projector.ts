import type { Data, DataType, RecordBatch, Schema } from 'apache-arrow';
import { IcebergUnsupportedError } from '../../errors.js';
import type { NestedField } from '../metadata/iceberg-schema.js';
import { constantData } from './constant-data.js';
import { convertColumn } from './convert-column.js';
import { fileNodes, type FileNode, type NameMappingEntry } from './file-schema.js';
import { icebergToArrowType } from './iceberg-arrow-type.js';
import { valueFromJson, type IcebergValue } from './iceberg-values.js';

/** A column to produce: an Iceberg field and its Arrow type. */
export interface ColumnSpec {
  field: NestedField;
  type: DataType;
}

/** Makes a ColumnSpec for an Iceberg field. */
export function columnSpec(field: NestedField): ColumnSpec {
  return { field, type: icebergToArrowType(field.type, field.name) };
}

interface Source {
  spec: ColumnSpec;
  node: FileNode | undefined;
  constant: IcebergValue;
}

/**
 * Maps the batches of one data file to Iceberg columns by field id: renamed columns keep their
 * data, dropped columns are ignored, and columns the file lacks take the identity-partition value,
 * then the field's `initial-default`, then null (Iceberg spec "column projection").
 */
export class BatchProjector {
  /** Top-level file columns to read, or undefined to read all of them. */
  readonly parquetColumns: string[] | undefined;
  private readonly sources = new Map<number, Source>();
  private readonly constants = new Map<number, Data>();

  constructor(
    fileSchema: Schema,
    specs: readonly ColumnSpec[],
    options: {
      nameMapping: NameMappingEntry[] | undefined;
      partitionValues: Map<number, IcebergValue>;
      location: string;
    },
  ) {
    const { nodes, hasIds } = fileNodes(fileSchema, options.nameMapping);
    if (!hasIds) {
      throw new IcebergUnsupportedError(
        'data files without field ids',
        `Data file ${options.location} has no Parquet field ids and the table has no schema.name-mapping.default property`,
      );
    }
    const names: string[] = [];
    for (const spec of specs) {
      const node = nodes.find((n) => n.id === spec.field.id);
      if (node && !names.includes(node.name)) names.push(node.name);
      const partition = options.partitionValues.get(spec.field.id);
      const constant =
        partition !== undefined && partition !== null
          ? partition
          : valueFromJson(spec.field.type, spec.field.initialDefault, spec.field.name);
      this.sources.set(spec.field.id, { spec, node, constant });
    }
    this.parquetColumns = names.some((n) => n.includes('.')) ? undefined : names;
  }

  /** The Iceberg column `fieldId` of a file batch, in its Arrow output type. */
  column(batch: RecordBatch, fieldId: number): Data {
    const source = this.sources.get(fieldId) as Source;
    const { spec, node } = source;
    if (node) {
      const index = batch.schema.fields.findIndex((f) => f.name === node.name);
      const data = batch.data.children[index];
      if (data) return convertColumn(data, node, spec.field.type, spec.type, spec.field.name);
    }
    const cached = this.constants.get(fieldId);
    if (cached && cached.length === batch.numRows) return cached;
    const built = constantData(spec.field.type, spec.type, source.constant, batch.numRows);
    this.constants.set(fieldId, built);
    return built;
  }
}
