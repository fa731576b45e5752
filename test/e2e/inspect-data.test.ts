// `tabsynth inspect-data` through the real command line: what a user checks before a long
// run (rows, metadata, a summary per column, the modes of each numeric column), and the
// inferred metadata saved to edit and reuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

const WEATHER = path.join(REPO_ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv');

describe('tabsynth inspect-data', function () {
  this.timeout(60_000);
  afterEach(removeTempDirs);

  it('shows rows, inferred types, summaries and modes, and saves the metadata', async () => {
    const saved = path.join(makeTempDir(), 'weather.json');

    const result = await runCli(['inspect-data', '--data', WEATHER, '--save-metadata', saved]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^metadata: inferred \(save it with --save-metadata FILE/m);
    assert.match(result.stdout, /^1461 rows, 6 columns$/m);
    assert.match(result.stdout, /^date +datetime +Utf8 .*2012-01-01 \.\. 2015-12-31/m);
    assert.match(result.stdout, /^weather +categorical .*distinct +5/m);
    // Dry days are an exact mode of precipitation.
    assert.match(result.stdout, /^ {2}precipitation: \d+ modes {2}point 0 \(\d+\.\d%\)/m);
    const metadata = JSON.parse(readFileSync(saved, 'utf8'));
    assert.deepEqual(metadata.columns[0], { name: 'date', type: 'datetime', format: '%Y-%m-%d' });
    assert.equal(metadata.columns[5].type, 'categorical');
  });

  it('prints one JSON object with --json', async () => {
    const result = await runCli(['inspect-data', '--data', WEATHER, '--json']);

    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.rows, 1461);
    assert.equal(report.metadataSource, 'inferred');
    assert.equal(report.transform.columns.length, 6);
    assert.ok(report.transform.dataDim > 6);
  });
});
