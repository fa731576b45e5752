// User errors through the real command line: each ends with exit code 2 and one message that
// names the file, column or key and says what to do, and no stack trace.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorLines, hasStackTrace, REPO_ROOT, runCli, type CliResult } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

const WEATHER = path.join(REPO_ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv');

function assertUserError(result: CliResult, expected: RegExp): void {
  assert.equal(result.code, 2, `exit code 2 expected; stderr:\n${result.stderr}`);
  const lines = errorLines(result.stderr);
  assert.equal(lines.length, 1, `one error line expected; stderr:\n${result.stderr}`);
  assert.match(lines[0]!, expected);
  assert.ok(!hasStackTrace(result.stderr), `no stack trace expected:\n${result.stderr}`);
}

describe('tabsynth command line: user errors', function () {
  this.timeout(60_000);
  afterEach(removeTempDirs);

  it('rejects an unknown command with usage help', async () => {
    const result = await runCli(['trian']);

    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      "tabsynth: error: Unknown command 'trian'. Did you mean train?\n" +
        "Run 'tabsynth --help' for usage.\n",
    );
  });

  it('names a missing data file', async () => {
    const result = await runCli(['inspect-data', '--data', '/nonexistent/table.csv']);

    assertUserError(result, /\/nonexistent\/table\.csv/);
  });

  it('names an unknown config key by its path', async () => {
    const dir = makeTempDir();
    const config = path.join(dir, 'run.yaml');
    writeFileSync(config, `data:\n  path: ${WEATHER}\ntraining:\n  epoch: 2\n`);

    const result = await runCli(['train', '--config', config, '--out', path.join(dir, 'run')]);

    assertUserError(result, /unknown key 'training\.epoch' \(did you mean 'epochs'\?\)/);
  });

  it('says what to give when train has nothing to train', async () => {
    const result = await runCli(['train']);

    assertUserError(
      result,
      /^tabsynth: error: Nothing to train: give --config FILE \(or --data FILE\), or --resume/,
    );
  });

  it('names an empty data file', async () => {
    const file = path.join(makeTempDir(), 'empty.csv');
    writeFileSync(file, '');

    const result = await runCli(['inspect-data', '--data', file]);

    assertUserError(result, new RegExp(`${file.replace(/[.]/g, '\\.')}.*empty`));
  });

  it('names a column declared continuous that holds text, with line and value', async () => {
    const dir = makeTempDir();
    const data = path.join(dir, 'bad.csv');
    const metadata = path.join(dir, 'bad.json');
    writeFileSync(data, 'age,city\n31,Oslo\nforty,Rome\n');
    writeFileSync(
      metadata,
      JSON.stringify({
        columns: [
          { name: 'age', type: 'continuous' },
          { name: 'city', type: 'categorical' },
        ],
      }),
    );

    const result = await runCli(['inspect-data', '--data', data, '--metadata', metadata]);

    assertUserError(result, /age.*line 3.*forty/);
  });

  it('refuses to resume a folder that is not a run', async () => {
    const result = await runCli(['train', '--resume', makeTempDir()]);

    assertUserError(result, /is not a tabsynth run directory/);
  });

  it('names a model folder that holds no bundle', async () => {
    const dir = makeTempDir();

    const result = await runCli(['sample', '--model', dir, '--rows', '10', '--out', 'x.parquet']);

    assertUserError(result, /holds no model bundle/);
  });

  it('checks --shard', async () => {
    const result = await runCli([
      'sample',
      '--model',
      'm',
      '--rows',
      '10',
      '--out',
      'x.parquet',
      '--shard',
      '3/2',
    ]);

    assertUserError(result, /--shard must be I\/N with 1 <= I <= N, e.g. --shard 2\/8; got '3\/2'/);
  });

  it('names the values --conditions takes', async () => {
    const result = await runCli([
      ...['sample', '--model', 'm', '--rows', '10', '--out', 'x.parquet'],
      ...['--conditions', 'rare'],
    ]);

    assertUserError(
      result,
      /Argument: conditions, Given: "rare", Choices: "original", "log-frequency"/,
    );
  });

  describe('bad tables, each through inspect-data', () => {
    const cases: { title: string; csv: string; metadata?: object; expected: RegExp }[] = [
      { title: 'a header with no rows', csv: 'a,b\n', expected: /has a header but no rows/ },
      { title: 'a ragged row', csv: 'a,b\n1,2\n3,4,5\n', expected: /line 3/ },
      { title: 'NaN in a numeric column', csv: 'a,b\n1,x\nNaN,y\n', expected: /"a".*line 3.*NaN/ },
      { title: 'an infinity', csv: 'a,b\n1,x\ninf,y\n', expected: /"a".*line 3.*inf/ },
      { title: 'an overflow', csv: 'a,b\n1,x\n1e309,y\n', expected: /"a".*line 3.*1e309/ },
      {
        title: 'a column null in every row',
        csv: 'a,b\n1,\n2,\n',
        expected: /"b" is null .* in every row; drop the column/,
      },
      {
        title: 'metadata naming a column the table lacks',
        csv: 'a,b\n1,x\n',
        metadata: {
          columns: [
            { name: 'a', type: 'continuous' },
            { name: 'b', type: 'categorical' },
            { name: 'c', type: 'categorical' },
          ],
        },
        expected: /"c"/,
      },
      {
        title: 'metadata missing a column the table has',
        csv: 'a,b\n1,x\n',
        metadata: { columns: [{ name: 'a', type: 'continuous' }] },
        expected: /"b"/,
      },
    ];
    for (const { title, csv, metadata, expected } of cases) {
      it(`names the file and the problem for ${title}`, async () => {
        const dir = makeTempDir();
        const data = path.join(dir, 'table.csv');
        writeFileSync(data, csv);
        const args = ['inspect-data', '--data', data];
        if (metadata) {
          writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(metadata));
          args.push('--metadata', path.join(dir, 'meta.json'));
        }

        const result = await runCli(args);

        assertUserError(result, expected);
        assert.ok(result.stderr.includes(data), `names ${data}:\n${result.stderr}`);
      });
    }

    it('names a truncated Parquet file', async () => {
      const dir = makeTempDir();
      const whole = path.join(REPO_ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
      const cut = path.join(dir, 'cut.parquet');
      const bytes = readFileSync(whole);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));

      const result = await runCli(['inspect-data', '--data', cut]);

      assertUserError(result, new RegExp(cut.replace(/[.]/g, '\\.')));
    });
  });
});
