// Worker-thread entry of JsonEncodeThreads: receives a batch as Arrow IPC, answers with its JSON body.
import { parentPort, workerData } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';
import type { JsonBodyFraming } from './json-body-framing.js';
import type { JsonEncodingOptions } from './encoding-options.js';
import { encodeJsonRowsBody } from './json-rows-body.js';
import type { EncodeAnswer, EncodeRequest } from './json-encode-messages.js';

const { options, framing } = workerData as { options: JsonEncodingOptions; framing: JsonBodyFraming };

parentPort?.on('message', ({ id, ipc }: EncodeRequest) => {
  let answer: EncodeAnswer;
  try {
    const batch = tableFromIPC(ipc).batches[0];
    if (batch === undefined) throw new Error('the IPC message holds no record batch');
    const { body, ends, openBytes } = encodeJsonRowsBody(batch, options, framing);
    answer = { id, body, ends, openBytes };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
parentPort?.postMessage('ready');
