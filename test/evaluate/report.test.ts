// The HTML report: one self-contained file written atomically, and, in headless Chromium,
// every chart drawn as an SVG with real marks and no broken values.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { evaluate } from '../../src/evaluate/evaluate.ts';
import { writeReport } from '../../src/evaluate/report.ts';
import type { EvaluationResult } from '../../src/evaluate/result.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { UsageError } from '../../src/util/errors.ts';
import { readTable } from '../../src/io/read-table.ts';
import { resampleColumns, VEGA_DATA } from './tables.ts';

const CHROMIUM = '/usr/bin/chromium';

// seattle-weather with a column renamed to something that needs escaping in HTML.
const ODD_NAME = 'wind <m/s> & "gusts"';
const METADATA: TableMetadata = {
  columns: [
    { name: 'date', type: 'datetime', format: '%Y-%m-%d' },
    { name: 'precipitation', type: 'continuous' },
    { name: 'temp_max', type: 'continuous' },
    { name: 'temp_min', type: 'continuous' },
    { name: ODD_NAME, type: 'continuous' },
    { name: 'weather', type: 'categorical' },
  ],
};

const LOSS_HISTORY = Array.from({ length: 20 }, (_, epoch) => ({
  epoch: epoch + 1,
  generatorLoss: 1.5 - epoch * 0.05,
  discriminatorLoss: -0.2 + epoch * 0.01,
  gradientPenalty: 0.3 / (epoch + 1),
}));

describe('evaluate report', function () {
  let result: EvaluationResult;
  let folder: string;

  before(async () => {
    const table = await readTable(path.join(VEGA_DATA, 'seattle-weather.csv'), {
      metadata: {
        columns: METADATA.columns.map((column) =>
          column.name === ODD_NAME ? { ...column, name: 'wind' } : column,
        ),
      },
    });
    const renamed = table.schema.fields.map((field) =>
      field.name === 'wind' ? ODD_NAME : field.name,
    );
    const real = new arrow.Table(
      Object.fromEntries(
        renamed.map((name, index) => [name, table.getChildAt(index)!] as const),
      ) as Record<string, arrow.Vector>,
    );
    const synthetic = resampleColumns(real, 1_000, 3);
    result = await evaluate(
      { real, synthetic, metadata: METADATA, target: 'weather' },
      { privacyQueryRows: 200 },
    );
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tabsynth-report-'));
  });

  after(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('writes one self-contained HTML file and leaves no temporary file', async () => {
    const file = path.join(folder, 'report.html');

    await writeReport(result, file, { lossHistory: LOSS_HISTORY, title: 'Seattle weather' });

    assert.deepEqual(fs.readdirSync(folder), ['report.html']);
    const html = fs.readFileSync(file, 'utf8');
    assert.ok(html.startsWith('<!doctype html>'));
    // No scripts, and nothing fetched: url() may only point inside the page (#clip1).
    assert.ok(!/<script|<link|<img|@import|url\((?!#)/i.test(html), 'a script or resource');
    // Two overview charts, one per column and the loss curve.
    assert.equal(html.match(/<figure class="chart"/g)!.length, 2 + 6 + 1);
    assert.ok(html.includes(result.quality.score!.toFixed(3)));
    assert.ok(html.includes('wind &lt;m/s&gt; &amp; &quot;gusts&quot;'));
    assert.ok(!html.includes(ODD_NAME));
  });

  it('leaves the loss section out without a loss history', async () => {
    const file = path.join(folder, 'no-loss.html');

    await writeReport(result, file);

    const html = fs.readFileSync(file, 'utf8');
    assert.equal(html.match(/<figure class="chart"/g)!.length, 2 + 6);
    assert.ok(!html.includes('<h2>Training</h2>'));
  });

  it('says where it could not write', async () => {
    const file = path.join(folder, 'missing', 'report.html');

    await assert.rejects(
      writeReport(result, file),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          `Cannot write the report to ${file} (ENOENT). ` +
            'Pass --report with a path in an existing folder you can write to.',
    );
  });

  describe('in headless Chromium (needs /usr/bin/chromium)', function () {
    before(function () {
      if (!fs.existsSync(CHROMIUM)) {
        this.skip(); // /usr/bin/chromium is absent: apt-get install -y chromium
      }
    });

    it('shows every chart as an SVG with drawn marks and no broken values', async () => {
      const file = path.join(folder, 'browser.html');
      await writeReport(result, file, { lossHistory: LOSS_HISTORY });
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        const problems: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));

        await page.goto(`file://${file}`);
        const charts = await page.$$eval('figure.chart', (figures) =>
          figures.map((figure) => {
            const svg = figure.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            const drawn = figure.querySelectorAll('.role-mark > path, .role-mark > text');
            return {
              name: figure.getAttribute('data-chart'),
              width: box?.width ?? 0,
              height: box?.height ?? 0,
              drawn: drawn.length,
              broken: /NaN|undefined|Infinity/.test(svg?.outerHTML ?? 'undefined'),
            };
          }),
        );
        const screenshot = path.join(os.tmpdir(), 'tabsynth-report-screenshot.png');
        await page.screenshot({ path: screenshot, fullPage: true });

        assert.equal(charts.length, 2 + 6 + 1);
        for (const chart of charts) {
          assert.ok(chart.width > 100 && chart.height > 100, `${chart.name} is drawn too small`);
          assert.ok(chart.drawn > 0, `${chart.name} has no marks`);
          assert.ok(!chart.broken, `${chart.name} has a broken attribute`);
        }
        assert.deepEqual(requests, [`file://${file}`]);
        assert.deepEqual(problems, []);
        assert.ok(fs.statSync(screenshot).size > 10_000);
      } finally {
        await browser.close();
      }
    });
  });
});
