import type { RecordBatch } from 'apache-arrow';
import { throwIfAborted } from '../util/abort.js';
import type { FileScanTask } from './plan-files.js';
import { readTask, type OutputShape, type ReadContext } from './read-task.js';

/** Streams tasks one after the other, each batch tagged with its data file's recorded path. */
export async function* readFileBatches(
  context: ReadContext,
  tasks: readonly FileScanTask[],
  output: OutputShape,
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<{ file: string; batch: RecordBatch }, void, undefined> {
  for (const task of tasks) {
    throwIfAborted(signal);
    for await (const batch of readTask(context, task, output, batchSize, signal))
      yield { file: task.file.filePath, batch };
  }
}
