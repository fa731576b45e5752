// The writer worker's entry point: opens an OutputCore from workerData (an OutputSetup), then
// handles the main thread's requests one at a time, in order (see output-stage.ts).
import { parentPort, workerData } from 'node:worker_threads';

import { OutputCore, type OutputSetup } from './output-core.ts';
import type { OutputReply, OutputRequest } from './output-stage.ts';
import { toErrorMessage, type WorkerStart } from './worker-channel.ts';

const port = parentPort!;
const reply = (message: OutputReply): void => port.postMessage(message);

let core: OutputCore | null = null;
let failed = false;
// Requests wait for the file to be open; a failure is reported once, then only 'abort' counts.
let queue: Promise<void> = OutputCore.open((workerData as WorkerStart<OutputSetup>).data)
  .then((opened) => {
    core = opened;
    reply({ type: 'ready' });
  })
  .catch(report);

function report(error: unknown): void {
  failed = true;
  reply({ type: 'error', error: toErrorMessage(error) });
}

async function handle(request: OutputRequest): Promise<void> {
  if (request.type === 'abort') {
    await core?.abort();
    reply({ type: 'aborted' });
    return;
  }
  if (core === null) return;
  if (failed) return; // after an error only 'abort' matters
  if (request.type === 'piece') {
    await core.consume(request.rows);
    reply({ type: 'consumed', counters: { ...core.counters } });
  } else {
    const { bytes, rows } = await core.close();
    reply({ type: 'closed', bytes, rows, counters: { ...core.counters } });
  }
}

port.on('message', (request: OutputRequest) => {
  queue = queue.then(() => handle(request)).catch(report);
});
