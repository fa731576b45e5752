// Entry point of the sampler's worker threads: registers the TypeScript loader (tsx) in this
// thread, which a worker does not inherit when the process registered it through tsx's API
// (bin/tabsynth.js), then runs the module named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
