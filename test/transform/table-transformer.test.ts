// Tests of the TableTransformer on a table made here with every supported column kind:
// layout, exact round trips with the same schema, ids, saving and loading, and errors.
import assert from 'node:assert/strict';

import * as arrow from 'apache-arrow';

import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { TableTransformer } from '../../src/transform/table-transformer.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertSameTable } from './tables.ts';

const ROWS = 600;
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** The metadata of makeTable's columns. */
const METADATA: TableMetadata = {
  columns: [
    { name: 'amount', type: 'continuous' },
    { name: 'count', type: 'continuous' },
    { name: 'big', type: 'continuous' },
    { name: 'ratio', type: 'continuous' },
    { name: 'label', type: 'categorical' },
    { name: 'kind', type: 'categorical' },
    { name: 'survived', type: 'categorical' },
    { name: 'flag', type: 'boolean' },
    { name: 'level', type: 'ordinal', order: ['low', 'mid', 'high'] },
    { name: 'code', type: 'ordinal' },
    { name: 'wide', type: 'categorical' },
    { name: 'seen', type: 'datetime' },
    { name: 'day', type: 'datetime' },
    { name: 'when', type: 'datetime', format: '%Y-%m-%d %H:%M' },
    { name: 'row_id', type: 'id' },
    { name: 'key', type: 'id' },
  ],
};

/** A table with every column kind, nulls in several, made from one seeded stream. */
function makeTable(seed = 1): { table: arrow.Table; metadata: TableMetadata } {
  const rng = new Rng(seed);
  const pick = <T>(items: T[]): T => items[rng.int(items.length)]!;
  const rows = Array.from({ length: ROWS }, (_, row) => row);
  const table = new arrow.Table({
    amount: arrow.vectorFromArray(
      rows.map(() => (rng.next() < 0.1 ? null : Math.round(1e4 * Math.exp(rng.gaussian())) / 100)),
      new arrow.Float64(),
    ),
    count: arrow.vectorFromArray(
      rows.map(() => (rng.next() < 0.5 ? 0 : 1 + rng.int(40))),
      new arrow.Int32(),
    ),
    big: arrow.vectorFromArray(
      rows.map(() => BigInt(1e12 + rng.int(1e6))),
      new arrow.Int64(),
    ),
    ratio: arrow.vectorFromArray(
      rows.map(() => Math.round(10 * rng.gaussian()) / 10),
      new arrow.Float32(),
    ),
    label: arrow.vectorFromArray(
      rows.map(() => pick([' Private', ' Self-emp', ' ?', 'Ünïcode', null])),
      new arrow.Utf8(),
    ),
    kind: arrow.vectorFromArray(
      rows.map(() => pick(['b', 'a', 'c'])),
      new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    ),
    survived: arrow.vectorFromArray(
      rows.map(() => pick([0, 1])),
      new arrow.Int32(),
    ),
    flag: arrow.vectorFromArray(
      rows.map(() => pick([true, false, null])),
      new arrow.Bool(),
    ),
    level: arrow.vectorFromArray(
      rows.map(() => pick(['low', 'mid', 'high'])),
      new arrow.Utf8(),
    ),
    code: arrow.vectorFromArray(
      rows.map(() => pick([7n, 3n, 5n])),
      new arrow.Int64(),
    ),
    wide: arrow.vectorFromArray(
      rows.map(() => pick(['x', 'y'])),
      new arrow.LargeUtf8(),
    ),
    seen: arrow.vectorFromArray(
      rows.map(() => new Date(START + rng.int(90 * 24) * 3_600_000)),
      new arrow.TimestampMillisecond(),
    ),
    day: arrow.vectorFromArray(
      rows.map(() => (rng.next() < 0.05 ? null : new Date(START + rng.int(365) * DAY))),
      new arrow.DateDay(),
    ),
    when: arrow.vectorFromArray(
      rows.map(() => {
        const date = new Date(START + rng.int(1000) * 60_000);
        return date.toISOString().slice(0, 16).replace('T', ' ');
      }),
      new arrow.Utf8(),
    ),
    row_id: arrow.vectorFromArray(
      rows.map((row) => row + 1000),
      new arrow.Int32(),
    ),
    key: arrow.vectorFromArray(
      rows.map((row) => `C-${String(row).padStart(6, '0')}`),
      new arrow.Utf8(),
    ),
  });
  return { table, metadata: METADATA };
}

function withoutIds(table: arrow.Table): arrow.Table {
  return table.select(
    table.schema.fields.map((f) => f.name).filter((n) => n !== 'row_id' && n !== 'key'),
  );
}

describe('TableTransformer', () => {
  const { table, metadata } = makeTable();
  const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 3);

  describe('.layout', () => {
    it('lays out alpha then mode per numeric column and one span per discrete column', () => {
      const { spans, dataDim, discrete, condDim } = transformer.layout;

      const roles = spans.map((span) => `${span.column}:${span.role}`);
      assert.deepEqual(roles.slice(0, 4), [
        'amount:alpha',
        'amount:mode',
        'count:alpha',
        'count:mode',
      ]);
      assert.ok(!roles.some((role) => role.startsWith('row_id') || role.startsWith('key')));
      let offset = 0;
      for (const span of spans) {
        assert.equal(span.start, offset, `${span.column} ${span.role} start`);
        assert.equal(span.activation, span.role === 'alpha' ? 'tanh' : 'softmax');
        if (span.role === 'alpha') assert.equal(span.width, 1);
        offset += span.width;
      }
      assert.equal(dataDim, offset);
      // Numeric columns of more than one mode are conditions too (conditionOnModes), in row
      // order: with the discrete columns, the condition vector addresses every softmax span.
      const conditioned = spans.filter((s) => s.activation === 'softmax' && s.width > 1);
      assert.deepEqual(
        discrete.map((d) => d.column),
        conditioned.map((s) => s.column),
      );
      for (const name of ['label', 'kind', 'survived', 'flag', 'level', 'code', 'wide']) {
        assert.ok(
          discrete.some((d) => d.column === name),
          `${name} is a condition`,
        );
      }
      let condOffset = 0;
      for (const [index, column] of discrete.entries()) {
        const span = conditioned[index]!;
        assert.equal(column.dataStart, span.start);
        assert.equal(column.width, span.width);
        assert.equal(column.condStart, condOffset);
        condOffset += column.width;
      }
      assert.equal(condDim, condOffset);
    });

    it('conditions on modes only when the transform config says so', () => {
      const config = { ...DEFAULT_CONFIG.transform, conditionOnModes: false };
      const { spans, discrete, condDim } = TableTransformer.fit(table, metadata, config, 3).layout;

      assert.deepEqual(
        discrete.map((d) => d.column),
        ['label', 'kind', 'survived', 'flag', 'level', 'code', 'wide'],
      );
      for (const column of discrete) {
        const span = spans.find((s) => s.column === column.column)!;
        assert.equal(span.role, 'category');
        assert.equal(column.dataStart, span.start);
      }
      assert.equal(
        condDim,
        discrete.reduce((sum, column) => sum + column.width, 0),
      );
      assert.ok(condDim < transformer.layout.condDim);
    });

    it('puts a numeric column of two or more modes into the conditions at its mode span', () => {
      const modeSpans = transformer.layout.spans.filter((s) => s.role === 'mode');
      const conditionedModes = transformer.layout.discrete.filter((d) =>
        modeSpans.some((s) => s.start === d.dataStart),
      );

      // count: half zeros (a point mass) and 1-40; seen: hours over 90 days.
      assert.ok(conditionedModes.some((d) => d.column === 'count'));
      for (const span of modeSpans) {
        const entry = conditionedModes.find((d) => d.column === span.column);
        assert.equal(entry !== undefined, span.width > 1, `${span.column}: ${span.width} modes`);
      }
    });
  });

  describe('#transform and #inverse', () => {
    it('round-trip every learned column exactly, with the same schema', () => {
      const matrix = transformer.transform(table, new Rng(4));

      const back = transformer.inverse(matrix);

      assert.equal(matrix.rows, ROWS);
      assert.equal(matrix.cols, transformer.layout.dataDim);
      assert.deepEqual(
        back.schema.fields.map((f) => `${f}`),
        table.schema.fields.map((f) => `${f}`),
      );
      assertSameTable(withoutIds(back), withoutIds(table), { relative: 1e-9 });
    });

    it('writes a one-hot in every softmax span and alpha within [-0.99, 0.99]', () => {
      const { data, cols } = transformer.transform(table, new Rng(5));

      for (let row = 0; row < ROWS; row++) {
        for (const span of transformer.layout.spans) {
          const values = data.subarray(
            row * cols + span.start,
            row * cols + span.start + span.width,
          );
          if (span.role === 'alpha') assert.ok(Math.abs(values[0]!) <= 0.99);
          else assert.deepEqual([...values].sort().slice(-2), span.width > 1 ? [0, 1] : [1]);
        }
      }
    });

    it('generates unique ids numbered from idStart in the shape of the real ones', () => {
      const matrix = transformer.transform(table, new Rng(6));

      const back = transformer.inverse(matrix, { idStart: 500 });

      const ids = back.getChild('row_id')!.toArray() as Int32Array;
      assert.deepEqual([...ids.slice(0, 3)], [500, 501, 502]);
      assert.equal(new Set(ids).size, ROWS);
      const keys = [...back.getChild('key')!].map(String);
      assert.deepEqual(keys.slice(0, 2), ['C-000500', 'C-000501']);
      assert.equal(new Set(keys).size, ROWS);
    });

    it('decodes each row on its own: a row gives the same values in any batch', () => {
      const matrix = transformer.transform(table, new Rng(7));
      const cols = matrix.cols;
      const single = { data: matrix.data.slice(17 * cols, 18 * cols), rows: 1, cols };

      const all = transformer.inverse(matrix);
      const one = transformer.inverse(single);

      for (const field of one.schema.fields) {
        if (field.name === 'row_id' || field.name === 'key') continue;
        assert.deepEqual(one.getChild(field.name)!.get(0), all.getChild(field.name)!.get(17));
      }
    });

    it('rejects a matrix of the wrong width', () => {
      const cols = transformer.layout.dataDim + 1;

      assert.throws(
        () => transformer.inverse({ data: new Float32Array(2 * cols), rows: 2, cols }),
        {
          name: 'ShapeMismatchError',
          message:
            'TableTransformer.inverse matrix: ' +
            `expected shape [2, ${cols - 1}], got [2, ${cols}]`,
        },
      );
    });
  });

  describe('numbers stored as text', () => {
    it('parses them, reads declared missing values as null and writes both back', () => {
      const texts = ['1.5', ' ?', '2', '-0.25', ' ?', '1e3', '7'];
      const textTable = new arrow.Table({ score: arrow.vectorFromArray(texts, new arrow.Utf8()) });
      const meta: TableMetadata = {
        columns: [{ name: 'score', type: 'continuous', missingValues: [' ?'] }],
      };
      const fitted = TableTransformer.fit(textTable, meta, DEFAULT_CONFIG.transform, 0);

      const back = fitted.inverse(fitted.transform(textTable, new Rng(1)));

      // Numbers come back in JavaScript's shortest form: '1e3' is written '1000'.
      assert.deepEqual(
        [...back.getChild('score')!],
        ['1.5', ' ?', '2', '-0.25', ' ?', '1000', '7'],
      );
      assert.equal(fitted.describe()[0]!.nulls, 2);
    });
  });

  describe('datetimes stored as dictionary-encoded text', () => {
    it('come back dictionary-encoded, in their format', () => {
      const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int16());
      const texts = ['2019-03-01', null, '2019-03-05', '2019-03-01', '2020-02-29'];
      const textTable = new arrow.Table({ day: arrow.vectorFromArray(texts, type) });
      const meta: TableMetadata = {
        columns: [{ name: 'day', type: 'datetime', format: '%Y-%m-%d' }],
      };
      const fitted = TableTransformer.fit(textTable, meta, DEFAULT_CONFIG.transform, 0);

      const back = fitted.inverse(fitted.transform(textTable, new Rng(1)));

      assert.equal(String(back.schema.fields[0]!.type), String(type));
      assert.deepEqual([...back.getChild('day')!], texts);
    });
  });

  describe('category order and lookups', () => {
    it('sorts categorical values, puts null last and keeps the ordinal order', () => {
      const summary = new Map(transformer.describe().map((column) => [column.name, column]));

      const valuesOf = (name: string) => summary.get(name)!.categories!.map((c) => c.value);
      assert.deepEqual(valuesOf('label'), [' ?', ' Private', ' Self-emp', 'Ünïcode', null]);
      assert.deepEqual(valuesOf('kind'), ['a', 'b', 'c']);
      assert.deepEqual(valuesOf('flag'), [false, true, null]);
      assert.deepEqual(valuesOf('level'), ['low', 'mid', 'high']);
      assert.deepEqual(valuesOf('code'), ['3', '5', '7']);
    });

    it('counts the rows of each category', () => {
      const counts = transformer.categoryCounts('survived');

      const ones = [...table.getChild('survived')!].filter((value) => value === 1).length;
      assert.deepEqual(counts, [ROWS - ones, ones]);
    });

    it('finds a category by its text', () => {
      assert.equal(transformer.categoryIndex('label', ' Private'), 1);
      assert.equal(transformer.categoryIndex('label', 'null'), 4);
      assert.equal(transformer.categoryIndex('survived', '1'), 1);
      assert.equal(transformer.categoryIndex('flag', 'True'), 1);
      assert.equal(transformer.categoryIndex('code', '7'), 2);
    });

    it('lists the valid values of a column that has no such category', () => {
      assert.throws(() => transformer.categoryIndex('label', 'Private'), {
        name: 'UsageError',
        message:
          'Column "label" has no category "Private". ' +
          'Valid values: " ?", " Private", " Self-emp", "Ünïcode", null.',
      });
    });

    it('names the discrete columns when asked about another one', () => {
      assert.throws(() => transformer.categoryCounts('amount'), {
        name: 'UsageError',
        message:
          'Column "amount" is continuous; conditions need a categorical, ordinal or boolean ' +
          'column: "label", "kind", "survived", "flag", "level", "code", "wide".',
      });
    });
  });

  describe('#toJSON and .fromJSON', () => {
    it('round-trip through JSON text to identical transforms and inverses', () => {
      const text = JSON.stringify(transformer.toJSON());
      const copy = TableTransformer.fromJSON(JSON.parse(text));

      assert.deepEqual(JSON.parse(text), transformer.toJSON(), 'JSON-safe: nothing lost in text');
      assert.deepEqual(copy.layout, transformer.layout);
      const first = transformer.transform(table, new Rng(8));
      const second = copy.transform(table, new Rng(8));
      assert.deepEqual(second.data, first.data);
      assertSameTable(copy.inverse(first), transformer.inverse(first), { relative: 0 });
    });

    it('fits the same transformer from the same table and seed', () => {
      const again = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 3);

      assert.deepEqual(again.toJSON(), transformer.toJSON());
    });

    it('refuses JSON of another format', () => {
      assert.throws(() => TableTransformer.fromJSON({ format: 'other' }), {
        name: 'CheckpointError',
        message:
          'The saved transformer is not a tabsynth-transformer object; the model bundle or ' +
          'run directory is damaged. Train again or restore it from a backup.',
      });
    });

    it('reads a version 1 transformer, which conditions on discrete columns only', () => {
      const json = structuredClone(transformer.toJSON()) as unknown as Record<string, unknown>;
      json['version'] = 1;
      delete json['conditionOnModes'];

      const old = TableTransformer.fromJSON(json);

      const categorySpans = old.layout.spans.filter((span) => span.role === 'category');
      assert.deepEqual(
        old.layout.discrete.map((entry) => entry.dataStart),
        categorySpans.map((span) => span.start),
      );
      assert.equal(old.layout.dataDim, transformer.layout.dataDim);
    });

    it('refuses a transformer of a newer version, naming the versions it reads', () => {
      const json = { ...transformer.toJSON(), version: 3 };

      assert.throws(() => TableTransformer.fromJSON(json), {
        name: 'CheckpointError',
        message:
          'The saved transformer has version 3; this tabsynth reads versions 1 to 2. Use the ' +
          'tabsynth version that trained the model.',
      });
    });
  });

  describe('.fit errors', () => {
    it('names the columns that metadata and table do not share', () => {
      const partial: TableMetadata = {
        columns: [...metadata.columns.slice(1), { name: 'x', type: 'id' }],
      };

      assert.throws(() => TableTransformer.fit(table, partial, DEFAULT_CONFIG.transform, 0), {
        name: 'InvalidMetadataError',
        message:
          'The metadata does not match the table (table columns without metadata: "amount"; ' +
          'metadata columns not in the table: "x"). Give one metadata entry per table column, ' +
          'spelled exactly as in the table.',
      });
    });

    it('names an ordinal level that the order lacks', () => {
      const columns = metadata.columns.map((c) =>
        c.name === 'level' ? { ...c, order: ['low', 'high'] } : c,
      );

      assert.throws(() => TableTransformer.fit(table, { columns }, DEFAULT_CONFIG.transform, 0), {
        name: 'InvalidMetadataError',
        message:
          'Column "level": the data hold level(s) "mid" that its metadata "order" does not ' +
          'list. Add them to "order" (lowest to highest), or remove "order".',
      });
    });

    it('asks for the format of a datetime column stored as text', () => {
      const columns = metadata.columns.map((c) =>
        c.name === 'when' ? { name: 'when', type: 'datetime' as const } : c,
      );

      assert.throws(() => TableTransformer.fit(table, { columns }, DEFAULT_CONFIG.transform, 0), {
        name: 'InvalidMetadataError',
        message:
          'Column "when" is a datetime column stored as text, but its metadata has no format. ' +
          'Add one in strftime notation, e.g. "format": "%Y-%m-%d %H:%M:%S".',
      });
    });

    it('names text that does not match the datetime format', () => {
      const columns = metadata.columns.map((c) =>
        c.name === 'when' ? { ...c, format: '%d/%m/%Y' } : c,
      );
      const first = JSON.stringify(table.getChild('when')!.get(0));

      assert.throws(() => TableTransformer.fit(table, { columns }, DEFAULT_CONFIG.transform, 0), {
        name: 'InvalidDataError',
        message:
          `Column "when", row 1: ${first} does not match the datetime format "%d/%m/%Y". Fix ` +
          "the value, or the column's format in the metadata (or list the text in missingValues).",
      });
    });

    it('rejects an Arrow type it cannot learn', () => {
      const listTable = new arrow.Table({
        tags: arrow.vectorFromArray(
          [[1], [2]],
          new arrow.List(new arrow.Field('item', new arrow.Int32())),
        ),
      });

      assert.throws(
        () =>
          TableTransformer.fit(
            listTable,
            { columns: [{ name: 'tags', type: 'categorical' }] },
            DEFAULT_CONFIG.transform,
            0,
          ),
        {
          name: 'InvalidDataError',
          message:
            'Column "tags" has Arrow type List<Int32>, which tabsynth cannot learn. Supported: ' +
            'booleans, integers, floats, UTF-8 strings (plain or dictionary-encoded), dates and ' +
            'timestamps. Convert the column or drop it from the table.',
        },
      );
    });

    it('rejects a category unseen at fit time when transforming', () => {
      const other = makeTable(2).table;
      const small = TableTransformer.fit(
        table.select(['kind']),
        { columns: [{ name: 'kind', type: 'categorical' }] },
        DEFAULT_CONFIG.transform,
        0,
      );
      const changed = new arrow.Table({
        kind: arrow.vectorFromArray(['a', 'z'], new arrow.Utf8()),
      });

      assert.doesNotThrow(() => small.transform(other, new Rng(1)));
      assert.throws(() => small.transform(changed, new Rng(1)), {
        name: 'InvalidDataError',
        message:
          'Column "kind", row 2: "z" was not seen when the transformer was fitted. Refit on a ' +
          'table that holds it.',
      });
    });
  });
});
