// Tests of the strftime-style datetime parser and formatter, and of format detection.
import assert from 'node:assert/strict';

import {
  checkDatetimeFormat,
  civilFromDays,
  daysFromCivil,
  formatDatetime,
  parseDatetime,
} from '../../src/schema/datetime.ts';
import { detectDatetimeFormat } from '../../src/schema/datetime-detect.ts';
import { Rng } from '../../src/util/rng.ts';

describe('datetime', () => {
  describe('#parseDatetime', () => {
    it('reads fields as UTC, agreeing with Date.UTC', () => {
      assert.equal(
        parseDatetime('2019-03-01 08:05:09', '%Y-%m-%d %H:%M:%S'),
        Date.UTC(2019, 2, 1, 8, 5, 9),
      );
      assert.equal(parseDatetime('1969-12-31', '%Y-%m-%d'), Date.UTC(1969, 11, 31));
      assert.equal(parseDatetime('29/02/2000', '%d/%m/%Y'), Date.UTC(2000, 1, 29));
    });

    it('reads fractions to the microsecond as the decimal part of the milliseconds', () => {
      const ms = parseDatetime('2019-03-01T08:05:09.123456', '%Y-%m-%dT%H:%M:%S.%f')!;
      assert.equal(Math.floor(ms), Date.UTC(2019, 2, 1, 8, 5, 9, 123));
      assert.ok(Math.abs(ms - Math.floor(ms) - 0.456) < 1e-3);
      assert.equal(parseDatetime('00:00:00.5', '%H:%M:%S.%f'), 500);
    });

    it('reads two-digit years, month names, days of the year and 12-hour clocks', () => {
      assert.equal(parseDatetime('01/02/69', '%m/%d/%y'), Date.UTC(1969, 0, 2));
      assert.equal(parseDatetime('01/02/68', '%m/%d/%y'), Date.UTC(2068, 0, 2));
      assert.equal(parseDatetime('7 mar 2020', '%d %b %Y'), Date.UTC(2020, 2, 7));
      assert.equal(parseDatetime('March 7, 2020', '%B %d, %Y'), Date.UTC(2020, 2, 7));
      assert.equal(parseDatetime('2020-060', '%Y-%j'), Date.UTC(2020, 1, 29));
      assert.equal(parseDatetime('12:30 AM', '%I:%M %p'), 30 * 60_000);
      assert.equal(parseDatetime('12:30 PM', '%I:%M %p'), 12.5 * 3_600_000);
      assert.equal(parseDatetime('Sat 2020-03-07', '%a %Y-%m-%d'), Date.UTC(2020, 2, 7));
    });

    it('returns null for text that does not match or names an impossible date', () => {
      const format = '%Y-%m-%d %H:%M:%S';
      for (const text of [
        '2019-02-29 00:00:00',
        '2019-13-01 00:00:00',
        '2019-01-01 24:00:00',
        '2019-01-01',
        '2019-01-01 00:00:00 ',
        'x2019-01-01 00:00:00',
        '19-01-01 00:00:00',
      ]) {
        assert.equal(parseDatetime(text, format), null, text);
      }
      assert.equal(parseDatetime('Sun 2020-03-07', '%a %Y-%m-%d'), null);
      assert.equal(parseDatetime('2020-000', '%Y-%j'), null);
    });

    it('rejects an unknown directive with a message listing the known ones', () => {
      assert.throws(() => parseDatetime('x', '%Y-%Q'), {
        name: 'InvalidMetadataError',
        message:
          'datetime format "%Y-%Q" has an unknown directive "%Q"; known directives: %Y %y %m %d ' +
          '%H %I %p %M %S %f %b %B %j %a %A %% (write %-m for no zero padding, %3f for 3 digits)',
      });
      assert.equal(checkDatetimeFormat('%Y-%m-%d'), null);
      assert.match(checkDatetimeFormat('%Y %') ?? '', /unknown directive "%"/);
    });
  });

  describe('#formatDatetime', () => {
    it('writes zero-padded fields, and unpadded ones for %-', () => {
      const ms = Date.UTC(2020, 2, 7, 8, 5, 9, 45);
      assert.equal(formatDatetime(ms, '%Y-%m-%d %H:%M:%S.%f'), '2020-03-07 08:05:09.045000');
      assert.equal(formatDatetime(ms, '%-m/%-d/%Y %-H:%M'), '3/7/2020 8:05');
      assert.equal(
        formatDatetime(ms, '%d %b %Y (%a, %A, %B, day %j) %I%p %3f %y %%'),
        '07 Mar 2020 (Sat, Saturday, March, day 067) 08AM 045 20 %',
      );
    });

    it('writes times before 1970 and far from it correctly', () => {
      assert.equal(formatDatetime(-1, '%Y-%m-%d %H:%M:%S.%3f'), '1969-12-31 23:59:59.999');
      assert.equal(formatDatetime(Date.UTC(1600, 1, 29), '%Y-%m-%d'), '1600-02-29');
      assert.equal(
        formatDatetime(Date.UTC(9999, 11, 31, 23, 59, 59, 999), '%Y-%m-%d %H:%M:%S.%3f'),
        '9999-12-31 23:59:59.999',
      );
    });

    it('rejects a value that is not finite', () => {
      assert.throws(() => formatDatetime(Number.NaN, '%Y'), {
        name: 'RangeError',
        message: 'cannot format NaN as a datetime',
      });
    });
  });

  describe('round trips', () => {
    it('parse(format(ms)) === ms for 10,000 random times to the microsecond', () => {
      const rng = new Rng(7);
      const format = '%Y-%m-%dT%H:%M:%S.%f';
      for (let i = 0; i < 10_000; i++) {
        // Whole microseconds between 1900 and 2100: a decimal fraction of a millisecond.
        const micros = Math.round((rng.next() * 6.3e12 - 2.2e12) * 1000);
        const ms = micros / 1000;
        const back = parseDatetime(formatDatetime(ms, format), format)!;
        assert.equal(Math.round(back * 1000), micros);
      }
    });

    it('format(parse(text)) === text for padded text', () => {
      const format = '%Y-%m-%d %H:%M:%S';
      for (const text of [
        '2019-03-01 00:00:00',
        '1970-01-01 00:00:00',
        '1899-12-31 23:59:59',
        '2400-02-29 12:00:00',
      ]) {
        assert.equal(formatDatetime(parseDatetime(text, format)!, format), text);
      }
    });

    it('daysFromCivil and civilFromDays are inverses and agree with Date', () => {
      for (let days = -800_000; days <= 800_000; days += 997) {
        const [year, month, day] = civilFromDays(days);
        const date = new Date(days * 86_400_000);
        assert.deepEqual(
          [year, month, day],
          [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()],
        );
        assert.equal(daysFromCivil(year, month, day), days);
      }
    });
  });

  describe('#detectDatetimeFormat', () => {
    it('finds the format every value is written in', () => {
      assert.equal(
        detectDatetimeFormat(['2019-03-01 08:05:00', '2019-03-23 20:21:09']),
        '%Y-%m-%d %H:%M:%S',
      );
      assert.equal(detectDatetimeFormat(['2012-01-01', '2015-12-31']), '%Y-%m-%d');
      assert.equal(detectDatetimeFormat(['2019-03-01T08:05:00Z']), '%Y-%m-%dT%H:%M:%SZ');
      assert.equal(detectDatetimeFormat(['01-Jan-2020', '28-Feb-2021']), '%d-%b-%Y');
    });

    it('prefers month first, and takes day first when a day passes 12', () => {
      assert.equal(detectDatetimeFormat(['01/02/2020', '03/04/2020']), '%m/%d/%Y');
      assert.equal(detectDatetimeFormat(['13/07/2020', '01/02/2020']), '%d/%m/%Y');
    });

    it('keeps the writing of the values: unpadded fields and fraction digits', () => {
      assert.equal(detectDatetimeFormat(['3/7/2020', '12/25/2019']), '%-m/%-d/%Y');
      assert.equal(
        detectDatetimeFormat(['2019-03-01T08:05:00.123', '2019-03-01T08:05:00.500']),
        '%Y-%m-%dT%H:%M:%S.%3f',
      );
    });

    it('returns null when no single format fits every value', () => {
      assert.equal(detectDatetimeFormat(['2019-03-01', '03/01/2019']), null);
      assert.equal(detectDatetimeFormat(['2019-02-30']), null);
      assert.equal(detectDatetimeFormat(['abc']), null);
      assert.equal(detectDatetimeFormat([]), null);
    });
  });
});
