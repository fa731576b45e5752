// strftime-style parsing and formatting of datetimes as epoch milliseconds (UTC, no time
// zone conversion). A format is compiled once into a list of steps and cached, so parsing a
// column runs at millions of values per second.
import { InvalidMetadataError } from '../util/errors.ts';
import { civilFromDays, daysFromCivil, daysInMonth, isLeapYear } from './civil-date.ts';

export { civilFromDays, daysFromCivil } from './civil-date.ts';

/** One compiled piece of a format: literal text, or a directive with its options. */
interface Step {
  literal?: string;
  directive?: string;
  /** `%-m`: format without zero padding (parsing accepts both). */
  unpadded: boolean;
  /** `%3f`: the number of fraction digits written (parsing accepts 1 to 9). */
  width: number;
}

/** The fields a parse fills in before they are combined into a time. */
interface Fields {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** -1: no %p seen; 0: AM; 1: PM. */
  meridiem: number;
  twelveHour: boolean;
}

/** The directives this module knows, as written after `%`, with what each means. */
export const DATETIME_DIRECTIVES: Readonly<Record<string, string>> = {
  Y: 'year, 4 digits',
  y: 'year within the century, 2 digits (69-99 is 1900s, 00-68 is 2000s)',
  m: 'month 01-12',
  d: 'day of the month 01-31',
  H: 'hour 00-23',
  I: 'hour 01-12 (with %p)',
  p: 'AM or PM',
  M: 'minute 00-59',
  S: 'second 00-59',
  f: 'fraction of a second, 1-9 digits read, 6 written (%3f writes 3)',
  b: 'month as an abbreviated name (Jan)',
  B: 'month as a full name (January)',
  j: 'day of the year 001-366',
  a: 'weekday as an abbreviated name (Mon), checked against the date',
  A: 'weekday as a full name (Monday), checked against the date',
  '%': 'a literal %',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MS_PER_DAY = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const compiled = new Map<string, Step[]>();

/**
 * Parses `text` written in the strftime-style `format` into epoch milliseconds, reading the
 * fields as UTC (no time zone conversion). Fractions below a millisecond are kept to the
 * microsecond as the decimal part of the result.
 * @param text the value, e.g. '2019-03-01 08:05:00'
 * @param format e.g. '%Y-%m-%d %H:%M:%S'; directives are listed in DATETIME_DIRECTIVES
 * @returns epoch milliseconds, or null when the text does not match the format or names an
 *   impossible date (February 30th)
 * @throws InvalidMetadataError when the format itself has an unknown directive
 */
export function parseDatetime(text: string, format: string): number | null {
  const steps = compile(format);
  const fields: Fields = {
    year: 1970,
    month: 1,
    day: 1,
    dayOfYear: 0,
    hour: 0,
    minute: 0,
    second: 0,
    micros: 0,
    meridiem: -1,
    twelveHour: false,
  };
  let weekday = -1;
  let position = 0;
  for (const step of steps) {
    if (step.literal !== undefined) {
      if (!text.startsWith(step.literal, position)) return null;
      position += step.literal.length;
      continue;
    }
    const directive = step.directive!;
    if (directive === 'a' || directive === 'A') {
      const found = matchName(text, position, WEEKDAYS, directive === 'a');
      if (found === null) return null;
      weekday = found.index;
      position = found.end;
      continue;
    }
    const end = readField(text, position, directive, fields);
    if (end < 0) return null;
    position = end;
  }
  if (position !== text.length) return null;
  const ms = combine(fields);
  if (ms === null) return null;
  if (weekday >= 0 && weekdayOf(ms) !== weekday) return null;
  return ms;
}

/**
 * Writes epoch milliseconds (UTC) in the strftime-style `format`; numbers are zero-padded
 * unless the directive is written `%-m`, and `%f` writes microseconds (6 digits).
 * @param ms epoch milliseconds; a decimal part is kept to the microsecond
 * @param format e.g. '%Y-%m-%d %H:%M:%S'
 * @returns the text, e.g. '2019-03-01 08:05:00'
 * @throws InvalidMetadataError when the format has an unknown directive; RangeError when ms
 *   is not finite
 */
export function formatDatetime(ms: number, format: string): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format ${ms} as a datetime`);
  const steps = compile(format);
  // Whole milliseconds and the microseconds below them are split first, so that dates far
  // from 1970 (where ms * 1000 would pass 2^53) keep their milliseconds exact.
  let whole = Math.floor(ms);
  let subMicros = Math.round((ms - whole) * 1000);
  if (subMicros === 1000) {
    whole += 1;
    subMicros = 0;
  }
  const days = Math.floor(whole / MS_PER_DAY);
  const msOfDay = whole - days * MS_PER_DAY;
  const [year, month, day] = civilFromDays(days);
  const secondsOfDay = Math.floor(msOfDay / 1000);
  const hour = Math.floor(secondsOfDay / 3600);
  const minute = Math.floor(secondsOfDay / 60) % 60;
  const second = secondsOfDay % 60;
  const micros = (msOfDay - secondsOfDay * 1000) * 1000 + subMicros;

  let out = '';
  for (const step of steps) {
    if (step.literal !== undefined) {
      out += step.literal;
      continue;
    }
    switch (step.directive) {
      case 'Y':
        out += year >= 1000 ? String(year) : year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
        break;
      case 'y':
        out += two(step, ((year % 100) + 100) % 100);
        break;
      case 'm':
        out += two(step, month);
        break;
      case 'd':
        out += two(step, day);
        break;
      case 'H':
        out += two(step, hour);
        break;
      case 'I':
        out += two(step, hour % 12 === 0 ? 12 : hour % 12);
        break;
      case 'p':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'M':
        out += two(step, minute);
        break;
      case 'S':
        out += two(step, second);
        break;
      case 'f':
        out += pad(micros, 6).slice(0, step.width);
        break;
      case 'b':
        out += MONTHS[month - 1]!.slice(0, 3);
        break;
      case 'B':
        out += MONTHS[month - 1]!;
        break;
      case 'j': {
        const dayOfYear = days - daysFromCivil(year, 1, 1) + 1;
        out += step.unpadded ? String(dayOfYear) : pad(dayOfYear, 3);
        break;
      }
      case 'a':
        out += WEEKDAYS[weekdayOf(days * MS_PER_DAY)]!.slice(0, 3);
        break;
      case 'A':
        out += WEEKDAYS[weekdayOf(days * MS_PER_DAY)]!;
        break;
      default:
        out += '%';
    }
  }
  return out;
}

/**
 * Checks that a format only uses known directives.
 * @param format a strftime-style format
 * @returns null when the format is usable, otherwise a sentence saying what is wrong
 */
export function checkDatetimeFormat(format: string): string | null {
  try {
    compile(format);
    return null;
  } catch (error) {
    if (error instanceof InvalidMetadataError) return error.message;
    throw error;
  }
}

function compile(format: string): Step[] {
  const cached = compiled.get(format);
  if (cached) return cached;
  const steps: Step[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i]!;
    if (char !== '%') {
      literal += char;
      continue;
    }
    let j = i + 1;
    const unpadded = format[j] === '-';
    if (unpadded) j++;
    let width = 6;
    if (format[j] !== undefined && format[j]! >= '1' && format[j]! <= '9') {
      width = Number(format[j]);
      j++;
    }
    const directive = format[j];
    if (directive === undefined || !(directive in DATETIME_DIRECTIVES)) {
      const shown = format.slice(i, j + 1);
      const known = Object.keys(DATETIME_DIRECTIVES)
        .map((d) => `%${d}`)
        .join(' ');
      throw new InvalidMetadataError(
        `datetime format "${format}" has an unknown directive "${shown}"; ` +
          `known directives: ${known} (write %-m for no zero padding, %3f for 3 digits)`,
      );
    }
    if (directive === '%') {
      literal += '%';
    } else {
      if (literal) steps.push({ literal, unpadded: false, width: 0 });
      literal = '';
      steps.push({ directive, unpadded, width: directive === 'f' ? width : 0 });
    }
    i = j;
  }
  if (literal) steps.push({ literal, unpadded: false, width: 0 });
  compiled.set(format, steps);
  return steps;
}

/** Reads one numeric or named field at `start`; returns the end position, or -1. */
function readField(text: string, start: number, directive: string, fields: Fields): number {
  switch (directive) {
    case 'b':
    case 'B': {
      const found = matchName(text, start, MONTHS, directive === 'b');
      if (found === null) return -1;
      fields.month = found.index + 1;
      return found.end;
    }
    case 'p': {
      const word = text.slice(start, start + 2).toUpperCase();
      if (word !== 'AM' && word !== 'PM') return -1;
      fields.meridiem = word === 'AM' ? 0 : 1;
      return start + 2;
    }
    case 'f': {
      const end = digitsEnd(text, start, 9);
      if (end === start) return -1;
      const digits = text.slice(start, end);
      fields.micros = Math.round(Number(digits) * 10 ** (6 - digits.length));
      return end;
    }
  }
  const maxDigits = directive === 'Y' ? 4 : directive === 'j' ? 3 : 2;
  const end = digitsEnd(text, start, maxDigits);
  if (end === start || (directive === 'Y' && end - start !== 4)) return -1;
  const value = readInt(text, start, end);
  if (directive === 'j' && value === 0) return -1;
  switch (directive) {
    case 'Y':
      fields.year = value;
      break;
    case 'y':
      fields.year = value < 69 ? 2000 + value : 1900 + value;
      break;
    case 'm':
      fields.month = value;
      break;
    case 'd':
      fields.day = value;
      break;
    case 'H':
      fields.hour = value;
      break;
    case 'I':
      fields.hour = value;
      fields.twelveHour = true;
      break;
    case 'M':
      fields.minute = value;
      break;
    case 'S':
      fields.second = value;
      break;
    case 'j':
      fields.dayOfYear = value;
      break;
  }
  return end;
}

/** Checks the ranges of the parsed fields and turns them into epoch milliseconds. */
function combine(fields: Fields): number | null {
  // %p only changes a %I hour, as in C and Python; with %H it is read and ignored.
  let { hour } = fields;
  if (fields.twelveHour) {
    if (hour < 1 || hour > 12) return null;
    if (fields.meridiem >= 0) hour = (hour % 12) + (fields.meridiem === 1 ? 12 : 0);
  }
  if (hour > 23 || fields.minute > 59 || fields.second > 59) return null;

  let days: number;
  if (fields.dayOfYear > 0) {
    if (fields.dayOfYear > (isLeapYear(fields.year) ? 366 : 365)) return null;
    days = daysFromCivil(fields.year, 1, 1) + fields.dayOfYear - 1;
  } else {
    if (fields.month < 1 || fields.month > 12 || fields.day < 1) return null;
    if (fields.day > daysInMonth(fields.year, fields.month)) return null;
    days = daysFromCivil(fields.year, fields.month, fields.day);
  }
  const seconds = hour * 3600 + fields.minute * 60 + fields.second;
  return days * MS_PER_DAY + seconds * 1000 + fields.micros / 1000;
}

function matchName(
  text: string,
  start: number,
  names: readonly string[],
  abbreviated: boolean,
): { index: number; end: number } | null {
  for (let index = 0; index < names.length; index++) {
    const name = abbreviated ? names[index]!.slice(0, 3) : names[index]!;
    if (text.slice(start, start + name.length).toLowerCase() === name.toLowerCase()) {
      return { index, end: start + name.length };
    }
  }
  return null;
}

function digitsEnd(text: string, start: number, maxDigits: number): number {
  let end = start;
  while (end < text.length && end - start < maxDigits) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end++;
  }
  return end;
}

function readInt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

/** A value below 100, zero-padded to two digits unless the step says `%-`. */
function two(step: Step, value: number): string {
  return step.unpadded ? String(value) : TWO_DIGITS[value]!;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** 0 = Sunday, for an epoch-millisecond time. */
function weekdayOf(ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  return (((days + 4) % 7) + 7) % 7;
}
