import assert from 'node:assert/strict';
import { formatDuration, formatProgressLine } from '../../src/run/progress.ts';
import { historyFromCsv, historyToCsv, historyToSvg } from '../../src/run/history.ts';

describe('training progress', () => {
  describe('formatProgressLine', () => {
    it('lines up fixed-width fields whatever the values', () => {
      const base = {
        epochs: 300,
        stepsPerEpoch: 65,
        gradientPenalty: 0.0123,
        msPerStep: 98.14,
        rowsPerSecond: 5094.7,
        etaSeconds: 1864,
      };

      const a = formatProgressLine({
        ...base,
        epoch: 3,
        step: 12,
        generatorLoss: 1.2345,
        discriminatorLoss: -0.4321,
      });
      const b = formatProgressLine({
        ...base,
        epoch: 300,
        step: 65,
        generatorLoss: -12.5,
        discriminatorLoss: 0.5,
      });

      assert.equal(
        a,
        'epoch   3/300  step 12/65  G    1.2345  D   -0.4321  GP  0.0123    98.1 ms/step' +
          '    5095 rows/s  ETA 31m04s',
      );
      assert.equal(a.length, b.length);
    });
  });

  describe('formatDuration', () => {
    it('writes hours and minutes, minutes and seconds, or seconds', () => {
      assert.deepEqual(
        [formatDuration(3725), formatDuration(1864), formatDuration(9.4), formatDuration(NaN)],
        ['1h02m', '31m04s', '9s', '?'],
      );
    });
  });
});

describe('loss history', () => {
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    generatorLoss: 1 / epoch,
    discriminatorLoss: -epoch / 10,
    gradientPenalty: 0.1,
    condLoss: 0.5,
    steps: 65,
    seconds: 5.5,
  }));

  it('writes one CSV row per epoch under a header', () => {
    const lines = historyToCsv(history).trim().split('\n');

    assert.equal(
      lines[0],
      'epoch,generatorLoss,discriminatorLoss,gradientPenalty,condLoss,steps,seconds',
    );
    assert.equal(lines[3], '3,0.3333333333333333,-0.3,0.1,0.5,65,5.5');
  });

  it('reads its CSV back into the same records', () => {
    assert.deepEqual(historyFromCsv(historyToCsv(history)), history);
  });

  it('plots one line per loss in a standalone SVG', () => {
    const svg = historyToSvg(history);

    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/<polyline /g)?.length, 3);
    assert.doesNotMatch(svg, /NaN/);
  });
});
