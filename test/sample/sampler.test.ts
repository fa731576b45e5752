// End-to-end tests of sampling a bundle into files: the training table's columns, types and
// field metadata read back by independent readers (hyparquet, csv-parse, apache-arrow), unique
// ids, byte-identical reruns whatever the batch size or thread layout, shards that concatenate
// to the whole file, --where on every row, and no file at the final path after a failure or a
// stop. Not checked here: the quality of the rows (the models are tiny; see evaluate/).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { BOOLEAN_SPELLING_KEY } from '../../src/io/boolean-spelling.ts';
import { runSampling } from '../../src/sample/run-sample.ts';
import {
  chooseEngine,
  sampleToFile,
  type SampleRequest,
  type SampleSummary,
} from '../../src/sample/sampler.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';
import {
  handSetBundle,
  readArrowTable,
  readCsvRows,
  readParquetRows,
  trainedBundle,
  weatherData,
  type TrainingData,
} from './helpers.ts';

const INLINE = { generatorWorkers: 0, writerWorker: false };

describe('sampleToFile', function () {
  this.timeout(60_000);
  let dir: string;
  let data: TrainingData;
  let model: string;
  let files = 0;

  before(async function () {
    dir = makeTempDir();
    data = await weatherData(dir);
    model = await trainedBundle(dir, data);
  });
  after(removeTempDirs);

  /** Samples into a fresh file of `dir` (or `out`) and returns the summary. */
  async function sample(
    options: Partial<SampleRequest> & { format?: SampleRequest['format'] },
    shouldStop: () => boolean = () => false,
  ): Promise<SampleSummary & { out: string }> {
    const format = options.format ?? 'parquet';
    const out = options.out ?? path.join(dir, `out-${files++}.${format}`);
    const summary = await sampleToFile(
      {
        model,
        rows: 3000,
        out,
        format,
        seed: 1,
        batchSize: 1000,
        shard: null,
        where: [],
        backend: 'wasm',
        engine: INLINE,
        ...options,
      },
      { shouldStop, terminal: null },
    );
    if (summary === null) throw new Error('stopped');
    return { ...summary, out };
  }

  const columnNames = (): string[] => data.table.schema.fields.map((field) => field.name);

  it('writes Parquet rows with the training columns, types and fresh ids', async function () {
    const summary = await sample({ rows: 5000 });

    const rows = await readParquetRows(summary.out);
    assert.equal(summary.rows, 5000);
    assert.equal(rows.length, 5000);
    assert.deepEqual(Object.keys(rows[0]!), columnNames());
    assert.deepEqual(
      rows.map((row) => row['id']),
      Array.from({ length: 5000 }, (_, i) => i),
    );
    const weathers = new Set(data.table.getChild('weather')!.toArray() as string[]);
    for (const row of rows) {
      assert.ok(weathers.has(row['weather'] as string), `weather ${String(row['weather'])}`);
      assert.equal(typeof row['windy'], 'boolean');
      assert.equal(typeof row['date'], 'string');
      assert.equal(typeof row['temp_max'], 'number');
      assert.ok(row['gust'] === null || typeof row['gust'] === 'number');
    }
    assert.ok(summary.bytes > 0 && summary.acceptanceRate === null);
  });

  it('writes CSV with the training header and the recorded boolean spelling', async function () {
    const summary = await sample({ format: 'csv' });

    const text = readFileSync(summary.out, 'utf8');
    const rows = readCsvRows(summary.out);
    assert.equal(text.slice(0, text.indexOf('\n')), columnNames().join(','));
    assert.equal(rows.length, 3000);
    assert.deepEqual(new Set(rows.map((row) => row['windy'])), new Set(['True', 'False']));
  });

  it('writes Arrow IPC with the training schema, field metadata included', async function () {
    const summary = await sample({ format: 'arrow' });

    const table = readArrowTable(summary.out);
    const fields = (schema: arrow.Schema): string[] =>
      schema.fields.map((field) => `${field.name}: ${field.type}`);
    assert.deepEqual(fields(table.schema), fields(data.table.schema));
    assert.equal(table.numRows, 3000);
    const windy = table.schema.fields.find((field) => field.name === 'windy')!;
    assert.equal(windy.metadata.get(BOOLEAN_SPELLING_KEY), 'True/False');
  });

  it('gives byte-identical files for the same seed, whatever the batch size', async function () {
    const first = await sample({ rows: 9000, batchSize: 1000 });
    const again = await sample({ rows: 9000, batchSize: 1000 });
    const other = await sample({ rows: 9000, batchSize: 4096 });
    const odd = await sample({ rows: 9000, batchSize: 777 });
    const reseeded = await sample({ rows: 9000, seed: 2 });

    const bytes = (file: string): Buffer => readFileSync(file);
    assert.ok(bytes(again.out).equals(bytes(first.out)), 'rerun');
    assert.ok(bytes(other.out).equals(bytes(first.out)), 'batch 4096');
    assert.ok(bytes(odd.out).equals(bytes(first.out)), 'batch 777');
    assert.ok(!bytes(reseeded.out).equals(bytes(first.out)), 'another seed');
  });

  it('writes shards that concatenate to the unsharded file, with global ids', async function () {
    const rows = 10_001;
    const whole = await sample({ rows, format: 'csv', batchSize: 3000 });

    const parts: string[][] = [];
    for (let index = 1; index <= 3; index++) {
      const part = await sample({ rows, format: 'csv', shard: { index, count: 3 } });
      parts.push(readFileSync(part.out, 'utf8').trimEnd().split('\n').slice(1));
    }

    const wholeLines = readFileSync(whole.out, 'utf8').trimEnd().split('\n').slice(1);
    assert.deepEqual(
      parts.map((part) => part.length),
      [3333, 3334, 3334],
    );
    assert.deepEqual(parts.flat(), wholeLines);
    assert.deepEqual(
      wholeLines.map((line) => Number(line.slice(0, line.indexOf(',')))),
      Array.from({ length: rows }, (_, i) => i),
    );
  });

  it('keeps only rows that satisfy every --where clause and reports the rate', async function () {
    const where = [
      { column: 'weather', value: 'sun' },
      { column: 'windy', value: 'True' },
    ];

    const summary = await sample({ rows: 2000, format: 'csv', where });

    const rows = readCsvRows(summary.out);
    assert.equal(rows.length, 2000);
    assert.ok(rows.every((row) => row['weather'] === 'sun' && row['windy'] === 'True'));
    assert.ok(summary.candidates >= 2000);
    assert.equal(summary.acceptanceRate, 2000 / summary.candidates);
  });

  it('gives --where shards disjoint ids and the same rows on every run', async function () {
    const where = [{ column: 'weather', value: 'rain' }];
    const shard = async (index: number): Promise<Record<string, string>[]> =>
      readCsvRows(
        (await sample({ rows: 3000, format: 'csv', where, shard: { index, count: 2 } })).out,
      );

    const [first, second, firstAgain] = [await shard(1), await shard(2), await shard(1)];

    assert.deepEqual(firstAgain, first);
    assert.deepEqual(
      [...first, ...second].map((row) => Number(row['id'])),
      Array.from({ length: 3000 }, (_, i) => i),
    );
    assert.notDeepEqual(
      first.slice(0, 20).map((row) => row['temp_max']),
      second.slice(0, 20).map((row) => row['temp_max']),
    );
  });

  it('fails when --where accepts too few rows, keeping the older file', async function () {
    const out = path.join(dir, 'kept.parquet');
    writeFileSync(out, 'an older file');
    const where = [
      { column: 'weather', value: 'fog' },
      { column: 'windy', value: 'True' },
    ];
    const expected = new RegExp(
      '^--where weather=fog --where windy=True: only (\\d+) of 3000 generated rows ' +
        '\\([\\d.]+ %\\) satisfy the clauses, below the 90 % needed to write 100000 rows in ' +
        'reasonable time\\. The model rarely produces this combination: drop a clause or ' +
        'choose more frequent values\\.$',
    );

    await assert.rejects(
      sample({ out, rows: 100_000, where, acceptance: { minCandidates: 3000, minRate: 0.9 } }),
      (error: Error) => {
        assert.equal(error.name, 'UsageError');
        const match = expected.exec(error.message);
        assert.ok(match, error.message);
        // Rows were written to the temporary file before the failure: it failed mid-way.
        assert.ok(Number(match[1]) > 0, 'some rows were accepted');
        return true;
      },
    );

    assert.equal(readFileSync(out, 'utf8'), 'an older file');
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.kept.parquet.tmp')),
      [],
    );
  });

  it('leaves no file at the final path when stopped mid-way', async function () {
    const out = path.join(dir, 'stopped.csv');
    let pieces = 0;

    const summary = await sampleToFile(
      {
        model,
        rows: 50_000,
        out,
        format: 'csv',
        seed: 1,
        batchSize: 1000,
        shard: null,
        where: [],
        backend: 'wasm',
        engine: INLINE,
      },
      { shouldStop: () => ++pieces === 3, terminal: null },
    );

    assert.equal(summary, null);
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.stopped.csv')),
      [],
    );
  });

  it('refuses an unknown --where column before writing anything', async function () {
    const out = path.join(dir, 'never.parquet');

    await assert.rejects(sample({ out, where: [{ column: 'colour', value: 'red' }] }), {
      name: 'UsageError',
      message:
        '--where colour=red: Column "colour" is not a column of the table; conditions need a ' +
        'categorical, ordinal or boolean column: "weather", "windy".',
    });
    assert.equal(existsSync(out), false);
  });

  it('gives the same file with generator and writer worker threads', async function () {
    const inline = await sample({ rows: 9000, batchSize: 2000 });

    const generators = await sample({
      rows: 9000,
      batchSize: 2000,
      engine: { generatorWorkers: 2, writerWorker: false },
    });
    const writer = await sample({
      rows: 9000,
      batchSize: 2000,
      engine: { generatorWorkers: 0, writerWorker: true },
    });

    const bytes = readFileSync(inline.out);
    assert.ok(readFileSync(generators.out).equals(bytes), 'generator workers');
    assert.ok(readFileSync(writer.out).equals(bytes), 'writer worker');
  });

  it("passes a writer worker's user error on and removes its file", async function () {
    const out = path.join(dir, 'worker-failed.parquet');
    const where = [{ column: 'weather', value: 'fog' }];

    await assert.rejects(
      sample({
        out,
        rows: 100_000,
        where,
        acceptance: { minCandidates: 2000, minRate: 0.99 },
        engine: { generatorWorkers: 0, writerWorker: true },
      }),
      {
        name: 'UsageError',
        message: new RegExp(
          '^--where weather=fog: only \\d+ of 2000 generated rows \\([\\d.]+ %\\) satisfy ' +
            'the clauses, below the 99 % needed to write 100000 rows in reasonable time\\. ' +
            'The model rarely produces this combination: drop a clause or choose more ' +
            'frequent values\\.$',
        ),
      },
    );

    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.worker-failed.parquet')),
      [],
    );
  });

  it("samples nulls and categories at the generator's rates", async function () {
    // Output weights 0, biases = log-probabilities: every row draws the gust column's null mode
    // with the training null share and weather with its training frequencies.
    const weatherCounts = data.transformer.categoryCounts('weather');
    const total = weatherCounts.reduce((a, b) => a + b, 0);
    const handSet = await handSetBundle(makeTempDir(), data, (span) => {
      if (span.column === 'weather') return weatherCounts.map((count) => count / total);
      if (span.column === 'gust') {
        const others = (1 - data.gustNullShare) / (span.width - 1);
        return [...new Array<number>(span.width - 1).fill(others), data.gustNullShare];
      }
      return new Array<number>(span.width).fill(1 / span.width);
    });
    const rows = 20_000;

    const summary = await sample({ model: handSet, rows, batchSize: 5000 });

    const sampled = await readParquetRows(summary.out);
    // Standard deviation of a share p of n rows: sqrt(p (1 - p) / n) <= 0.0036; allow 5.
    const nulls = sampled.filter((row) => row['gust'] === null).length / rows;
    assert.ok(Math.abs(nulls - data.gustNullShare) < 0.018, `null share ${nulls}`);
    const weatherNames = ['drizzle', 'fog', 'rain', 'snow', 'sun'];
    weatherNames.forEach((name, k) => {
      const share = sampled.filter((row) => row['weather'] === name).length / rows;
      const expected = weatherCounts[k]! / total;
      assert.ok(Math.abs(share - expected) < 0.018, `${name}: ${share} vs ${expected}`);
    });
  });
});

describe('runSampling', function () {
  this.timeout(60_000);
  let dir: string;
  let model: string;

  before(async function () {
    dir = makeTempDir();
    model = await trainedBundle(dir, await weatherData(dir));
  });
  after(removeTempDirs);

  const options = (out: string, rows: number) => ({
    model,
    rows,
    out,
    format: 'csv' as const,
    seed: 3,
    batchSize: 500,
    shard: null,
    where: [],
    backend: 'wasm' as const,
    engine: INLINE,
  });

  it('resolves to 0 and writes the file', async function () {
    const out = path.join(dir, 'done.csv');

    const code = await runSampling(options(out, 1000));

    assert.equal(code, 0);
    assert.equal(readCsvRows(out).length, 1000);
  });

  it('resolves to 143 on SIGTERM and leaves no file at the final path', async function () {
    const out = path.join(dir, 'terminated.csv');
    const running = runSampling(options(out, 5_000_000));

    setTimeout(() => process.kill(process.pid, 'SIGTERM'), 300);
    const code = await running;

    assert.equal(code, 143);
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.terminated.csv')),
      [],
    );
  });
});

describe('chooseEngine', function () {
  const wasm = { name: 'wasm' as const, device: 'CPU (wasm)', skipped: [] };
  const saved = { ...process.env };
  afterEach(function () {
    for (const name of ['TABSYNTH_SAMPLE_GENERATORS', 'TABSYNTH_SAMPLE_WRITER']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('lets the environment override the defaults and explicit choices override both', function () {
    process.env['TABSYNTH_SAMPLE_GENERATORS'] = '3';
    process.env['TABSYNTH_SAMPLE_WRITER'] = 'worker';

    assert.deepEqual(chooseEngine(wasm), { generatorWorkers: 3, writerWorker: true });
    assert.deepEqual(chooseEngine(wasm, { writerWorker: false }), {
      generatorWorkers: 3,
      writerWorker: false,
    });
  });

  it('generates on the main thread with a native TensorFlow backend', function () {
    const native = { name: 'tensorflow' as const, device: 'GPU (CUDA)', skipped: [] };

    assert.equal(chooseEngine(native, { generatorWorkers: 2 }).generatorWorkers, 0);
  });

  it('refuses malformed environment values, naming the variable', function () {
    process.env['TABSYNTH_SAMPLE_GENERATORS'] = 'many';
    assert.throws(() => chooseEngine(wasm), {
      name: 'ConfigError',
      message:
        'TABSYNTH_SAMPLE_GENERATORS must be 0 (generate on the main thread) or a number of ' +
        "worker threads up to 64; got 'many'.",
    });

    delete process.env['TABSYNTH_SAMPLE_GENERATORS'];
    process.env['TABSYNTH_SAMPLE_WRITER'] = 'thread';
    assert.throws(() => chooseEngine(wasm), {
      name: 'ConfigError',
      message: "TABSYNTH_SAMPLE_WRITER must be 'main' or 'worker'; got 'thread'.",
    });
  });
});
