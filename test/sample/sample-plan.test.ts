// Tests of the sampling plan: shards tile the rows exactly, --where clauses resolve to a
// condition on the rarest category plus checks on all, and bad clauses are user errors.
import assert from 'node:assert/strict';

import { planSampling, shardRows } from '../../src/sample/sample-plan.ts';
import type { TableTransformer } from '../../src/transform/table-transformer.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';
import { weatherData } from './helpers.ts';

describe('shardRows', function () {
  it('splits R rows into N consecutive, disjoint ranges that cover them', function () {
    for (const total of [1, 7, 10_000, 1_000_003]) {
      for (const count of [1, 2, 3, 8]) {
        let next = 0;
        for (let index = 1; index <= count; index++) {
          const { start, end } = shardRows(total, { index, count });
          assert.equal(start, next, `R=${total} ${index}/${count} starts where the last ended`);
          assert.ok(end >= start);
          next = end;
        }
        assert.equal(next, total, `R=${total} N=${count} covers every row`);
      }
    }
  });

  it('computes the bounds exactly where R * I passes 2^53', function () {
    // R = 2^53 - 1: 2R = 2^54 - 2 rounds to 2^54 in float64, which would give an end of
    // 6004799503160661; the exact floor(2R / 3) is 6004799503160660.
    assert.deepEqual(shardRows(2 ** 53 - 1, { index: 2, count: 3 }), {
      start: 3002399751580330,
      end: 6004799503160660,
    });
  });
});

describe('planSampling', function () {
  let transformer: TableTransformer;

  before(async function () {
    transformer = (await weatherData(makeTempDir())).transformer;
  });
  after(removeTempDirs);

  it('takes a shard from the global row sequence without --where', function () {
    const plan = planSampling(transformer, {
      rows: 10,
      seed: 4,
      shard: { index: 2, count: 3 },
      where: [],
    });

    assert.deepEqual(plan, {
      key: { seed: 4, stream: 0 },
      firstCandidate: 3,
      rows: 3,
      idStart: 3,
      exact: true,
      condition: { kind: 'original' },
      checks: [],
    });
  });

  it('draws conditions by log frequency when asked', function () {
    const plan = planSampling(transformer, {
      rows: 10,
      seed: 4,
      shard: null,
      where: [],
      conditions: 'log-frequency',
    });

    assert.deepEqual(plan.condition, { kind: 'log-frequency' });
    assert.equal(plan.exact, true);
  });

  it('refuses --conditions log-frequency with --where, which fixes the condition', function () {
    assert.throws(
      () =>
        planSampling(transformer, {
          rows: 10,
          seed: 4,
          shard: null,
          where: [{ column: 'weather', value: 'snow' }],
          conditions: 'log-frequency',
        }),
      {
        name: 'UsageError',
        message:
          "--conditions log-frequency draws each row's condition, and --where fixes it for " +
          'every row: give one of the two.',
      },
    );
  });

  it('conditions on the rarest clause, checks all, and gives each shard its stream', function () {
    // Training counts: windy True 364 rows; weather snow 26 rows (the rarer).
    const plan = planSampling(transformer, {
      rows: 10,
      seed: 4,
      shard: { index: 2, count: 3 },
      where: [
        { column: 'windy', value: 'True' },
        { column: 'weather', value: 'snow' },
        { column: 'windy', value: 'True' },
      ],
    });

    const weather = transformer.layout.discrete.findIndex((entry) => entry.column === 'weather');
    assert.deepEqual(plan.condition, { kind: 'fixed', column: weather, category: 3 });
    assert.deepEqual(
      plan.checks.map((check) => [check.column, check.value, check.category]),
      [
        ['windy', 'True', 1],
        ['weather', 'snow', 3],
      ],
    );
    assert.deepEqual(plan.key, { seed: 4, stream: 2 });
    assert.equal(plan.idStart, 3);
    assert.equal(plan.exact, false);
  });

  it('refuses unknown columns and values and contradicting clauses, saying why', function () {
    const plan = (column: string, value: string, more: { column: string; value: string }[] = []) =>
      planSampling(transformer, {
        rows: 10,
        seed: 0,
        shard: null,
        where: [{ column, value }, ...more],
      });

    assert.throws(() => plan('nope', 'x'), {
      name: 'UsageError',
      message:
        '--where nope=x: Column "nope" is not a column of the table; conditions need a ' +
        'categorical, ordinal or boolean column: "weather", "windy".',
    });
    assert.throws(() => plan('weather', 'snowy'), {
      name: 'UsageError',
      message:
        '--where weather=snowy: Column "weather" has no category "snowy". Valid values: ' +
        '"drizzle", "fog", "rain", "snow", "sun".',
    });
    assert.throws(() => plan('wind', '3'), {
      name: 'UsageError',
      message:
        '--where wind=3: Column "wind" is continuous; conditions need a categorical, ordinal ' +
        'or boolean column: "weather", "windy".',
    });
    assert.throws(() => plan('weather', 'sun', [{ column: 'weather', value: 'rain' }]), {
      name: 'UsageError',
      message:
        '--where weather=sun and --where weather=rain cannot both hold: a row has one value ' +
        'per column. Keep one of them.',
    });
  });
});
