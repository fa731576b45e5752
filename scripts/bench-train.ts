// Benchmark of one CTGAN training step with the default networks on an Adult-shaped problem:
// ms per step per backend, and a per-kernel profile of a step. Not a test: timings depend on
// the machine and on what else runs on it.
//
//   npx tsx scripts/bench-train.ts [--backend wasm,cpu] [--steps 10] [--data adult|synthetic]
//                                  [--profile] [--average-decay D]
//   TABSYNTH_WASM_THREADS=2 npx tsx scripts/bench-train.ts --backend wasm
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs-core';
import winston from 'winston';

import { initBackend, releaseBackend } from '../src/backend/init.ts';
import { DEFAULT_CONFIG } from '../src/config/defaults.ts';
import { Trainer } from '../src/model/trainer.ts';
import type { DataLayout, Matrix } from '../src/transform/layout.ts';
import { Rng } from '../src/util/rng.ts';
import { ADULT_SHAPE, syntheticTable } from '../test/model/synthetic-table.ts';

const ADULT = path.resolve(import.meta.dirname, '../../shared/data/adult.csv');
const quiet = winston.createLogger({ silent: true });

const { values: options } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm,cpu' },
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    data: { type: 'string', default: fs.existsSync(ADULT) ? 'adult' : 'synthetic' },
    profile: { type: 'boolean', default: false },
    'average-decay': { type: 'string' },
  },
});

/** The transformed Adult table (when the data and the transformer exist) or a synthetic one. */
async function problem(
  kind: string,
): Promise<{ layout: DataLayout; data: Matrix; source: string }> {
  if (kind === 'adult') {
    const { readTable } = await import('../src/io/read-table.ts');
    const { loadMetadata } = await import('../src/schema/load-metadata.ts');
    const { TableTransformer } = await import('../src/transform/table-transformer.ts');
    const metadata = await loadMetadata(ADULT.replace(/\.csv$/, '.json'));
    const table = await readTable(ADULT, { metadata });
    const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 0);
    const data = transformer.transform(table, new Rng(0));
    return { layout: transformer.layout, data, source: 'adult.csv through TableTransformer' };
  }
  const { layout, data } = syntheticTable({ ...ADULT_SHAPE, seed: 1 });
  return { layout, data, source: 'synthetic Adult-shaped table' };
}

function quantiles(values: number[]): { min: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

/** Times `steps` steps after `warmup` ones: wall and process CPU time per step. */
function timeSteps(
  trainer: Trainer,
  warmup: number,
  steps: number,
): { wall: number[]; cpu: number[] } {
  for (let i = 0; i < warmup; i++) trainer.step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    trainer.step();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

/** Kernel time by kernel name over one profiled step (median of three), plus the step's wall. */
async function profileStep(trainer: Trainer): Promise<void> {
  const runs: Array<{
    wall: number;
    kernels: Map<string, { ms: number; calls: number }>;
    products: Map<string, { ms: number; calls: number }>;
    /** Floating-point operations of the products: 2 m k n for each m x k @ k x n. */
    flops: number;
  }> = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const profile = await tf.profile(() => {
      trainer.step();
    });
    const kernels = new Map<string, { ms: number; calls: number }>();
    const products = new Map<string, { ms: number; calls: number }>();
    let flops = 0;
    for (const kernel of profile.kernels) {
      addTime(kernels, kernel.name, kernel.kernelTimeMs as number);
      if (kernel.name === 'BatchMatMul') {
        // Batch dimension, if any, dropped: [1, m, k] @ [1, k, n] reads as m x k @ k x n.
        const [a, b] = kernel.inputShapes.map((dims) => dims.slice(-2)) as [number[], number[]];
        addTime(products, `${a.join('x')} @ ${b.join('x')}`, kernel.kernelTimeMs as number);
        flops += 2 * a[0]! * a[1]! * b[1]!;
      }
    }
    runs.push({ wall: performance.now() - started, kernels, products, flops });
  }
  const names = [...runs[0]!.kernels.keys()];
  const medianOf = (name: string): number =>
    quantiles(runs.map((run) => run.kernels.get(name)?.ms ?? 0)).median;
  const rows = names.map((name) => ({
    name,
    ms: medianOf(name),
    calls: runs[0]!.kernels.get(name)!.calls,
  }));
  rows.sort((a, b) => b.ms - a.ms);
  const kernelTotal = rows.reduce((sum, row) => sum + row.ms, 0);
  const wall = quantiles(runs.map((run) => run.wall)).median;
  const calls = rows.reduce((sum, row) => sum + row.calls, 0);
  console.log(
    `  profile (profiling adds overhead): step ${wall.toFixed(1)} ms, ${calls} kernel calls`,
  );
  console.log(`  ${'kernel'.padEnd(22)} ${'ms'.padStart(7)} ${'calls'.padStart(6)}`);
  for (const row of rows.slice(0, 14)) {
    console.log(
      `  ${row.name.padEnd(22)} ${row.ms.toFixed(1).padStart(7)} ${String(row.calls).padStart(6)}`,
    );
  }
  const rest = rows.slice(14).reduce((sum, row) => sum + row.ms, 0);
  console.log(`  ${'other kernels'.padEnd(22)} ${rest.toFixed(1).padStart(7)}`);
  console.log(
    `  ${'outside kernels (JS)'.padEnd(22)} ${(wall - kernelTotal).toFixed(1).padStart(7)}`,
  );
  // Where the products' time goes: by operand shapes, costliest first (first run's calls).
  const shapes = [...runs[0]!.products.keys()].map((shape) => ({
    shape,
    ms: quantiles(runs.map((run) => run.products.get(shape)?.ms ?? 0)).median,
    calls: runs[0]!.products.get(shape)!.calls,
  }));
  shapes.sort((a, b) => b.ms - a.ms);
  console.log(`  products: ${(runs[0]!.flops / 1e9).toFixed(2)} GFLOP per step`);
  console.log(
    `  ${'BatchMatMul by operands'.padEnd(30)} ${'ms'.padStart(7)} ${'calls'.padStart(6)}`,
  );
  for (const row of shapes.slice(0, 12)) {
    console.log(
      `  ${row.shape.padEnd(30)} ${row.ms.toFixed(1).padStart(7)} ${String(row.calls).padStart(6)}`,
    );
  }
}

/**
 * The processor, as precisely as the system says: the model name and, on Linux, the cpu family
 * and model numbers: virtual machines often report only "AMD EPYC", and step times differ
 * between processor generations, which the family number tells apart (25: Zen 3/4, 26: Zen 5).
 */
function processor(): string {
  const name = os.cpus()[0]?.model ?? 'unknown processor';
  let info = '';
  try {
    info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return `${name}, ${os.cpus().length} logical cores`; // not Linux: no /proc/cpuinfo
  }
  const field = (key: string): string | undefined =>
    new RegExp(`^${key}\\s*: (.*)$`, 'm').exec(info)?.[1];
  const generation = `cpu family ${field('cpu family')}, model ${field('model')}`;
  return `${name} (${generation}), ${os.cpus().length} logical cores`;
}

/** Adds one kernel call's time to a by-key total. */
function addTime(totals: Map<string, { ms: number; calls: number }>, key: string, ms: number) {
  const entry = totals.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls += 1;
  totals.set(key, entry);
}

async function main(): Promise<void> {
  const { layout, data, source } = await problem(options.data!);
  const average = options['average-decay'];
  const training = {
    ...DEFAULT_CONFIG.training,
    ...(average === undefined ? {} : { generatorAverageDecay: Number(average) }),
  };
  const config = { model: DEFAULT_CONFIG.model, training };
  console.log(`${processor()}, Node ${process.versions.node}`);
  console.log(`${source}: ${data.rows} rows, dataDim ${layout.dataDim}, condDim ${layout.condDim}`);
  console.log(
    `batch ${config.training.batchSize}, pac ${config.model.pac}, ` +
      `G ${config.model.generatorDims}, D ${config.model.discriminatorDims}, ` +
      `weight average decay ${config.training.generatorAverageDecay}`,
  );

  for (const name of options.backend!.split(',')) {
    const info = await initBackend(name as 'wasm' | 'cpu', quiet);
    const trainer = new Trainer(layout, data, config);
    const cpuBackend = info.name === 'cpu';
    const steps = cpuBackend ? Math.min(3, Number(options.steps)) : Number(options.steps);
    const { wall, cpu } = timeSteps(trainer, cpuBackend ? 1 : Number(options.warmup), steps);
    const wallTimes = quantiles(wall);
    const cpuTimes = quantiles(cpu);
    console.log(
      `${info.name} on ${info.device}: ${wallTimes.median.toFixed(1)} ms/step median, ` +
        `${wallTimes.min.toFixed(1)} min (CPU ${cpuTimes.median.toFixed(1)} ms/step); ` +
        `${Math.round((config.training.batchSize / wallTimes.median) * 1000)} rows/s ` +
        `over ${steps} steps`,
    );
    if (options.profile) await profileStep(trainer);
    trainer.dispose();
  }
  releaseBackend();
}

await main();
