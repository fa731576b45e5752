// `npm run bench`: runs every benchmark, one process each, and lists what each measured.
// `npm run bench -- io transform` runs only those. Most need ../shared/data (Adult); each
// says so and is skipped when it is absent. Figures and their history live in docs/*.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS: { name: string; what: string; args?: string[] }[] = [
  { name: 'io', what: 'CSV and Parquet readers and writers (docs/io.md)' },
  { name: 'transform', what: 'transformer fit/transform/inverse (docs/transform.md)' },
  {
    name: 'train',
    what: 'ms per training step per backend, and a per-kernel profile (docs/training.md)',
    args: ['--profile'],
  },
  { name: 'sample', what: 'sampling 1M and 10M rows to Parquet (docs/sampling.md)' },
  { name: 'evaluate', what: 'evaluation of 32,561 Adult rows (docs/evaluate.md)' },
];

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; choose from ` +
      BENCHMARKS.map((b) => b.name).join(', '),
  );
  process.exit(2);
}
const failed: string[] = [];
for (const bench of BENCHMARKS) {
  if (chosen.length > 0 && !chosen.includes(bench.name)) continue;
  console.log(`\n=== bench-${bench.name}: ${bench.what}`);
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, `scripts/bench-${bench.name}.ts`), ...(bench.args ?? [])],
    { stdio: 'inherit', cwd: root },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`=== bench-${bench.name}: exit ${result.status} after ${seconds} s`);
  if (result.status !== 0) failed.push(bench.name);
}
if (failed.length > 0) {
  console.log(`\nfailed or skipped: ${failed.join(', ')}`);
  process.exitCode = 1;
}
