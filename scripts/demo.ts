// `npm run demo`: the whole job on bundled data. Trains configs/demo.yaml (Seattle weather,
// shipped by vega-datasets) into models/demo, samples 10,000 rows to Parquet, scores them
// against the real table and writes an HTML report. Re-running starts the demo afresh.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = path.join(root, 'models/demo');
const real = path.join(root, 'node_modules/vega-datasets/data/seattle-weather.csv');
const synthetic = path.join(run, 'synthetic.parquet');
const report = path.join(run, 'report.html');

function tabsynth(args: string[]): void {
  console.log(`\n$ tabsynth ${args.map((a) => path.relative(root, a) || a).join(' ')}`);
  const result = spawnSync(process.execPath, [path.join(root, 'bin/tabsynth.js'), ...args], {
    stdio: 'inherit',
    cwd: root,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(run, { recursive: true, force: true });
tabsynth(['train', '--config', path.join(root, 'configs/demo.yaml')]);
tabsynth(['sample', '--model', run, '--rows', '10000', '--out', synthetic, '--seed', '1']);
tabsynth([
  'evaluate',
  '--real',
  real,
  '--synthetic',
  synthetic,
  '--model',
  run,
  '--target',
  'weather',
  '--report',
  report,
]);
console.log(
  `\nDone. The run is in models/demo (checkpoints, model bundle, history.svg), the ` +
    `synthetic rows in ${path.relative(root, synthetic)}, the report in ` +
    `${path.relative(root, report)}.`,
);
