// The whole job through the real command line on a small real table (Seattle weather, 1,461
// rows, shipped by vega-datasets): train two epochs with the default networks, inspect the
// model, sample to Parquet and read it back with an independent reader, sample the same
// bundle on the pure-JS cpu backend, and score the rows. Not checked here: whether two epochs
// learn anything (they do not; quality is measured by scripts/bench-quality.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { readParquetRows } from '../sample/helpers.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

const WEATHER = path.join(REPO_ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv');
const METADATA = path.join(REPO_ROOT, 'configs/demo-seattle-weather.json');
const WEATHER_KINDS = ['drizzle', 'fog', 'rain', 'snow', 'sun'];

describe('tabsynth end to end: train, inspect, sample, evaluate', function () {
  this.timeout(180_000);
  let dir = '';
  let run = '';

  before(async function () {
    dir = makeTempDir();
    run = path.join(dir, 'run');
    const trained = await runCli([
      'train',
      '--data',
      WEATHER,
      '--metadata',
      METADATA,
      '--out',
      run,
      '--epochs',
      '2',
      '--backend',
      'wasm',
    ]);
    assert.equal(trained.code, 0, trained.stderr);
  });

  after(removeTempDirs);

  it('describes the trained model', async () => {
    const result = await runCli(['inspect', '--model', run, '--json']);

    assert.equal(result.code, 0, result.stderr);
    const description = JSON.parse(result.stdout);
    assert.equal(description.training.epochs, 2);
    assert.equal(description.training.rows, 1461);
    assert.equal(description.training.generatorAverageDecay, 0.999);
    assert.deepEqual(
      description.columns.map((c: { name: string }) => c.name),
      ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'],
    );
    assert.deepEqual(description.checkpoints, [
      { name: 'ckpt-e000002-s000000', epoch: 2, step: 0 },
    ]);
  });

  it('samples rows with the training columns, types and values', async () => {
    const out = path.join(dir, 'sample.parquet');

    const result = await runCli(['sample', '--model', run, '--rows', '2000', '--out', out]);
    const rows = await readParquetRows(out);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /sampled 2000 rows in/);
    assert.equal(rows.length, 2000);
    assert.deepEqual(Object.keys(rows[0]!), [
      'date',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ]);
    for (const row of rows) {
      assert.match(String(row.date), /^201[2-5]-\d\d-\d\d$/, 'dates as the input wrote them');
      assert.ok(WEATHER_KINDS.includes(String(row.weather)), `weather ${row.weather}`);
      assert.equal(typeof row.temp_max, 'number');
      // Observed ranges of the training table: values are clipped to them.
      assert.ok((row.precipitation as number) >= 0 && (row.precipitation as number) <= 55.9);
      assert.ok((row.wind as number) >= 0.4 && (row.wind as number) <= 9.5);
    }
  });

  it('samples with --conditions log-frequency', async () => {
    // Which conditions are drawn is tested in test/sample/candidate-generator.test.ts; two
    // epochs do not teach the generator to follow them, so only the run is checked here.
    const out = path.join(dir, 'log-frequency.parquet');

    const result = await runCli([
      ...['sample', '--model', run, '--rows', '500', '--out', out],
      ...['--conditions', 'log-frequency'],
    ]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /conditions=log-frequency/);
    assert.equal((await readParquetRows(out)).length, 500);
  });

  it('loads the wasm-trained bundle on the cpu backend with matching samples', async () => {
    const onWasm = path.join(dir, 'wasm.parquet');
    const onCpu = path.join(dir, 'cpu.parquet');
    const common = ['sample', '--model', run, '--rows', '300', '--seed', '5'];

    const a = await runCli([...common, '--out', onWasm, '--backend', 'wasm']);
    const b = await runCli([...common, '--out', onCpu, '--backend', 'cpu']);

    assert.deepEqual([a.code, b.code], [0, 0], a.stderr + b.stderr);
    const [wasmRows, cpuRows] = [await readParquetRows(onWasm), await readParquetRows(onCpu)];
    // The random draws are the same; only float32 rounding in the network differs, which can
    // flip a category drawn right at a probability boundary, so allow 1% of cells to differ.
    let same = 0;
    let cells = 0;
    wasmRows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        const other = cpuRows[i]![column];
        cells += 1;
        const close =
          typeof value === 'number' && typeof other === 'number'
            ? Math.abs(value - other) <= 1e-3 * Math.max(1, Math.abs(value))
            : value === other;
        if (close) same += 1;
      }
    });
    assert.ok(same / cells >= 0.99, `${same} of ${cells} cells match`);
  });

  it('scores the sample against the real table', async () => {
    const out = path.join(dir, 'sample.parquet');

    const result = await runCli([
      'evaluate',
      '--real',
      WEATHER,
      '--synthetic',
      out,
      '--model',
      run,
      '--target',
      'weather',
      '--json',
    ]);

    assert.equal(result.code, 0, result.stderr);
    const scores = JSON.parse(result.stdout);
    assert.equal(scores.rows.synthetic, 2000);
    assert.ok(scores.quality.score > 0 && scores.quality.score <= 1);
    assert.equal(scores.usefulness.target, 'weather');
  });
});
