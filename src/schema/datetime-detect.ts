// Finds the strftime format that every value of a text column is written in, if any, so
// that metadata inference can type the column datetime and the writer can write it back.
import { formatDatetime, parseDatetime } from './datetime.ts';

/**
 * The formats tried, in order: ISO dates and times first, then US and European dates, then
 * dates with month names. A day-first format only wins when the month-first one fails.
 */
export const DATETIME_CANDIDATES: readonly string[] = [
  '%Y-%m-%d',
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%d %H:%M:%S.%f',
  '%Y-%m-%dT%H:%M:%S.%f',
  '%Y-%m-%dT%H:%M:%SZ',
  '%Y-%m-%dT%H:%M:%S.%fZ',
  '%Y-%m-%d %H:%M',
  '%Y-%m-%dT%H:%M',
  '%Y/%m/%d',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%m/%d/%Y',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %I:%M:%S %p',
  '%m/%d/%Y %I:%M %p',
  '%d/%m/%Y',
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d.%m.%Y',
  '%d.%m.%Y %H:%M:%S',
  '%d %b %Y',
  '%d-%b-%Y',
  '%b %d %Y',
  '%b %d, %Y',
  '%d %B %Y',
  '%B %d, %Y',
];

// Numeric fields that may be written without zero padding ("3/7/2020").
const PADDED_FIELDS = ['m', 'd', 'H', 'I', 'M', 'S'];

/**
 * The format every value is written in.
 * @param values the distinct non-null values of a text column (at least one)
 * @returns a strftime format that parses every value (and, where possible, writes each
 *   back byte for byte: `%-m` for unpadded months, `%3f` for three fraction digits), or
 *   null when no candidate parses them all
 */
export function detectDatetimeFormat(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  const first = values[0]!;
  for (const candidate of DATETIME_CANDIDATES) {
    if (parseDatetime(first, candidate) === null) continue;
    if (!values.every((value) => parseDatetime(value, candidate) !== null)) continue;
    return refine(candidate, values);
  }
  return null;
}

/** Adjusts fraction width and padding so that formatting gives the values back exactly. */
function refine(format: string, values: readonly string[]): string {
  let refined = format;
  if (format.includes('%f')) {
    const widths = new Set(values.map((value) => /\.(\d+)Z?$/.exec(value)?.[1]?.length ?? 0));
    const [width] = [...widths];
    if (widths.size === 1 && width !== undefined && width >= 1 && width <= 6 && width !== 6) {
      refined = refined.replace('%f', `%${width}f`);
    }
  }
  if (roundTrips(refined, values)) return refined;
  const unpadded = PADDED_FIELDS.reduce(
    (text, field) => text.replace(`%${field}`, `%-${field}`),
    refined,
  );
  return roundTrips(unpadded, values) ? unpadded : refined;
}

function roundTrips(format: string, values: readonly string[]): boolean {
  return values.every((value) => {
    const ms = parseDatetime(value, format);
    return ms !== null && formatDatetime(ms, format) === value;
  });
}
