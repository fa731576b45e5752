// A generator worker's entry point: starts its own single-threaded tfjs backend, builds the
// inference network from workerData (GeneratorWorkerData) and answers each range of rows with
// its activated candidates, whose buffers move to the main thread (see generation-engine.ts).
import { parentPort, workerData } from 'node:worker_threads';

import { initBackend } from '../backend/init.ts';
import { configureLogging, getLogger } from '../util/logger.ts';
import { CandidateGenerator } from './candidate-generator.ts';
import type { GeneratorReply, GeneratorRequest, GeneratorWorkerData } from './generation-engine.ts';
import { InferenceNetwork } from './inference-network.ts';
import { transferList } from './row-activation.ts';
import { toErrorMessage, type WorkerStart } from './worker-channel.ts';

const port = parentPort!;
const reply = (message: GeneratorReply, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  const { setup, backend } = (workerData as WorkerStart<GeneratorWorkerData>).data;
  // The main thread has logged the backend and device; a worker only reports problems.
  configureLogging({ level: 'warn' });
  await initBackend(backend, getLogger('sample'), { wasmThreads: 1 });
  const network = InferenceNetwork.fromExport(setup.exported);
  const { layout, categoryCounts } = setup.exported;
  const generator = new CandidateGenerator(
    network,
    layout,
    categoryCounts,
    setup.key,
    setup.condition,
    setup.checks,
  );

  port.on('message', (request: GeneratorRequest) => {
    try {
      const before = { ...generator.timings };
      const rows = generator.generate(request.first, request.count);
      const after = generator.timings;
      const timings = {
        drawSeconds: after.drawSeconds - before.drawSeconds,
        networkSeconds: after.networkSeconds - before.networkSeconds,
        activateSeconds: after.activateSeconds - before.activateSeconds,
      };
      reply({ type: 'rows', id: request.id, rows, timings }, transferList(rows));
    } catch (error) {
      reply({ type: 'error', error: toErrorMessage(error) });
    }
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'error', error: toErrorMessage(error) });
}
