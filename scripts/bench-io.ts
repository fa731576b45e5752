// Benchmarks of table input and output: CSV parsing libraries on ~100 MB, readTable with and
// without maxRows, Parquet readers, and Parquet writers on 1M Adult-like rows. Each case runs
// in its own process so its peak RSS (getrusage maxrss) is its own.
// Run: npx tsx scripts/bench-io.ts [--case NAME]   (needs ../shared/data/adult.csv)
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';
import { parse as csvParse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import Papa from 'papaparse';
import * as parquet from 'parquet-wasm';

import { readTable } from '../src/io/read-table.ts';
import { openTableWriter } from '../src/io/table-writer.ts';
import { takeRows } from '../src/io/take.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adultCsv = path.resolve(root, '../shared/data/adult.csv');
const work = path.join(os.tmpdir(), 'tabsynth-bench-io');
const bigCsv = path.join(work, 'adult-100mb.csv');
const adultParquet = path.join(work, 'adult.parquet');
const flights = path.join(root, 'node_modules/vega-datasets/data/flights-3m.parquet');
const WRITE_ROWS = 1_000_000;
const WRITE_BATCH = 100_000;

/** A case: runs, and returns extra fields to report (rows, bytes, ...). */
type Case = () => Promise<Record<string, unknown>>;

const cases: Record<string, Case> = {
  'csv parse: papaparse': () => countRowsPapa(bigCsv),
  'csv parse: csv-parse': () => countRowsCsvParse(bigCsv),
  'readTable csv': async () => ({ rows: (await readTable(bigCsv)).numRows }),
  'readTable csv maxRows=50000': async () => ({
    rows: (await readTable(bigCsv, { maxRows: 50_000 })).numRows,
  }),
  'parquet read flights-3m: parquet-wasm stream': () => readParquetWasm(flights),
  'parquet read flights-3m: hyparquet': () => readHyparquet(flights),
  'readTable flights-3m': async () => ({ rows: (await readTable(flights)).numRows }),
  'readTable flights-3m maxRows=50000': async () => ({
    rows: (await readTable(flights, { maxRows: 50_000 })).numRows,
  }),
  'parquet read adult: parquet-wasm stream': () => readParquetWasm(adultParquet),
  'parquet read adult: hyparquet': () => readHyparquet(adultParquet),
  'make 1M Adult-like rows only (included in the write cases)': makeRowsOnly,
  'parquet write 1M: tabsynth writer (parquet-wasm stream)': () => writeOurs('parquet'),
  'parquet write 10M: tabsynth writer (memory stays flat)': () => writeOurs('parquet', 10),
  'parquet write 1M: hyparquet-writer ParquetWriter': () => writeHyparquet(),
  'parquet write 1M: parquet-wasm writeParquet, whole table': () => writeParquetWasmWhole(),
  'csv write 1M: tabsynth writer': () => writeOurs('csv'),
  'arrow write 1M: tabsynth writer': () => writeOurs('arrow'),
};

async function main(): Promise<void> {
  const index = process.argv.indexOf('--case');
  if (index >= 0) {
    const name = process.argv[index + 1]!;
    const started = performance.now();
    const extra = await cases[name]!();
    const seconds = (performance.now() - started) / 1000;
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ name, seconds, peakMiB, ...extra })}\n`);
    return;
  }
  if (!existsSync(adultCsv)) {
    process.stderr.write(`bench-io needs ${adultCsv}\n`);
    process.exit(2);
  }
  await prepare();
  const script = fileURLToPath(import.meta.url);
  process.stdout.write(`| case | seconds | peak RSS MiB | notes |\n|---|---|---|---|\n`);
  for (const name of Object.keys(cases)) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--case', name], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TABSYNTH_LOG_LEVEL: 'warn' },
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      const lines = run.stderr.trim().split('\n');
      const reason = (lines.find((l) => /^\w*Error/.test(l)) ?? 'failed').slice(0, 120);
      process.stdout.write(`| ${name} | - | - | ${reason} |\n`);
      continue;
    }
    const { seconds, peakMiB, name: _name, ...notes } = JSON.parse(line) as Record<string, number>;
    void _name;
    const text = Object.entries(notes)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    process.stdout.write(
      `| ${name} | ${seconds!.toFixed(2)} | ${peakMiB!.toFixed(0)} | ${text} |\n`,
    );
  }
}

/** Makes the ~100 MB CSV (adult.csv's rows repeated) and an Adult Parquet file. */
async function prepare(): Promise<void> {
  mkdirSync(work, { recursive: true });
  if (!existsSync(bigCsv)) {
    const text = readFileSync(adultCsv, 'utf8');
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1);
    const handle = openSync(bigCsv, 'w');
    writeSync(handle, text.slice(0, newline + 1));
    for (let written = 0; written < 100e6; written += body.length) writeSync(handle, body);
    closeSync(handle);
  }
  if (!existsSync(adultParquet)) {
    const table = await readTable(adultCsv);
    const writer = await openTableWriter(adultParquet, 'parquet', table.schema);
    await writer.write(table);
    await writer.close();
  }
  process.stderr.write(
    `inputs: ${bigCsv} (${(statSync(bigCsv).size / 1e6).toFixed(1)} MB), ${adultParquet}\n`,
  );
}

function countRowsPapa(file: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let rows = 0;
    Papa.parse<string[]>(createReadStream(file, { encoding: 'utf8' }), {
      chunk: (results) => (rows += results.data.length),
      complete: () => resolve({ rows }),
    });
  });
}

async function countRowsCsvParse(file: string): Promise<Record<string, unknown>> {
  let rows = 0;
  for await (const record of createReadStream(file).pipe(csvParse({ relax_column_count: true }))) {
    rows += (record as string[]).length > 0 ? 1 : 0;
  }
  return { rows };
}

async function readParquetWasm(file: string): Promise<Record<string, unknown>> {
  const { openAsBlob } = await import('node:fs');
  const source = await parquet.ParquetFile.fromFile(await openAsBlob(file));
  const reader = (await source.stream({ batchSize: 65_536 })).getReader();
  let rows = 0;
  for (;;) {
    const step = await reader.read();
    if (step.done) break;
    rows += arrow.tableFromIPC((step.value as parquet.RecordBatch).intoIPCStream()).numRows;
  }
  return { rows };
}

async function readHyparquet(file: string): Promise<Record<string, unknown>> {
  const source = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(source);
  let rows = 0;
  // Row group by row group, as a streaming reader would; onChunk keeps memory to a group.
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    await parquetRead({
      file: source,
      metadata,
      rowStart: start,
      rowEnd: end,
      onChunk: () => undefined,
    });
    rows += end - start;
    start = end;
  }
  return { rows };
}

/** The Adult table and a function giving its rows start.. cycled into batches. */
async function adultBatches(): Promise<(start: number, rows: number) => arrow.RecordBatch> {
  const adult = await readTable(adultCsv);
  const batch = adult.batches[0]!;
  return (start, rows) =>
    takeRows(
      batch,
      Uint32Array.from({ length: rows }, (_, i) => (start + i) % batch.numRows),
    );
}

async function makeRowsOnly(): Promise<Record<string, unknown>> {
  const makeBatch = await adultBatches();
  let rows = 0;
  for (let start = 0; start < WRITE_ROWS; start += WRITE_BATCH)
    rows += makeBatch(start, WRITE_BATCH).numRows;
  return { rows };
}

async function writeOurs(
  format: 'parquet' | 'csv' | 'arrow',
  millions = 1,
): Promise<Record<string, unknown>> {
  const makeBatch = await adultBatches();
  const file = path.join(work, `out-ours.${format}`);
  const first = makeBatch(0, 1);
  const writer = await openTableWriter(file, format, first.schema);
  for (let start = 0; start < WRITE_ROWS * millions; start += WRITE_BATCH) {
    await writer.write(makeBatch(start, WRITE_BATCH));
  }
  const { bytes } = await writer.close();
  return { MB: (bytes / 1e6).toFixed(1) };
}

async function writeHyparquet(): Promise<Record<string, unknown>> {
  const makeBatch = await adultBatches();
  const file = path.join(work, 'out-hyparquet.parquet');
  const handle = openSync(file, 'w');
  // hyparquet-writer calls flush() after each row group; writing then keeps memory to one.
  const sink = new ByteWriter() as ByteWriter & { index: number; flush: () => void };
  sink.flush = () => {
    writeSync(handle, new Uint8Array(sink.buffer, 0, sink.index));
    sink.index = 0;
  };
  sink.finish = () => sink.flush();
  const fields = makeBatch(0, 1).schema.fields;
  const schema = [
    { name: 'root', num_children: fields.length },
    ...fields.map((field) =>
      arrow.DataType.isInt(field.type)
        ? { name: field.name, type: 'INT32' as const, repetition_type: 'OPTIONAL' as const }
        : {
            name: field.name,
            type: 'BYTE_ARRAY' as const,
            converted_type: 'UTF8' as const,
            repetition_type: 'OPTIONAL' as const,
          },
    ),
  ];
  const writer = new ParquetWriter({ writer: sink, schema });
  for (let start = 0; start < WRITE_ROWS; start += WRITE_BATCH) {
    const batch = makeBatch(start, WRITE_BATCH);
    const columnData = fields.map((field, index) => ({
      name: field.name,
      data: batch.getChildAt(index)!.toArray() as never,
    }));
    await writer.write({ columnData, rowGroupSize: WRITE_BATCH });
  }
  await writer.finish();
  closeSync(handle);
  return { MB: (statSync(file).size / 1e6).toFixed(1) };
}

async function writeParquetWasmWhole(): Promise<Record<string, unknown>> {
  const makeBatch = await adultBatches();
  const batches: arrow.RecordBatch[] = [];
  for (let start = 0; start < WRITE_ROWS; start += WRITE_BATCH)
    batches.push(makeBatch(start, WRITE_BATCH));
  const table = parquet.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batches), 'stream'));
  const properties = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .build();
  const bytes = parquet.writeParquet(table, properties);
  const file = path.join(work, 'out-whole.parquet');
  writeFileSync(file, bytes);
  return { MB: (bytes.length / 1e6).toFixed(1) };
}

await main();
