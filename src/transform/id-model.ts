// Identifier columns are not learned: generated rows get fresh unique values numbered from
// `idStart`, written in the shape of the real ones (integers, "C-000123" text, or UUIDs).
import type * as arrow from 'apache-arrow';

import { InvalidDataError } from '../util/errors.ts';
import { valueTypeOf, type ArrowTypeJSON } from './arrow-types.ts';
import { forEachText } from './arrow-read.ts';
import { buildDictionaryData, buildNumberData, buildTextData } from './arrow-write.ts';

/**
 * How generated ids are written.
 * - integer: the number itself (numeric Arrow types)
 * - text: prefix + number zero-padded to `width` digits + suffix, when every real id is one
 *   fixed prefix, a run of digits and one fixed suffix ("C-000123"); otherwise prefix "id-"
 * - uuid: a UUID-shaped text whose last 12 hex digits are the number (unique below 2^48)
 */
export type IdPattern =
  | { kind: 'integer' }
  | { kind: 'text'; prefix: string; suffix: string; width: number }
  | { kind: 'uuid' };

const NUMBERED = /^(.*?)(\d+)(\D*)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Learns how a column's ids are written.
 * @param vector the id column
 * @param type its Arrow type
 * @param column its name, for errors
 * @throws InvalidDataError when the column holds neither numbers nor text
 */
export function learnIdPattern(
  vector: arrow.Vector,
  type: ArrowTypeJSON,
  column: string,
): IdPattern {
  const valueType = valueTypeOf(type);
  if (type.kind === 'int' || type.kind === 'float') return { kind: 'integer' };
  if (valueType.kind !== 'utf8' && valueType.kind !== 'large-utf8') {
    throw new InvalidDataError(
      `Column "${column}" is typed id but holds ${valueType.kind} values; ids must be ` +
        'integers or text. Type the column differently in the metadata.',
    );
  }

  let prefix: string | null = null;
  let suffix: string | null = null;
  let width: number | null = null;
  let numbered = true;
  let uuid = true;
  let seen = 0;
  forEachText(vector, column, (_, text) => {
    if (text === null) return;
    seen++;
    if (uuid && !UUID.test(text)) uuid = false;
    if (!numbered) return;
    const match = NUMBERED.exec(text);
    if (match === null || (prefix !== null && (match[1] !== prefix || match[3] !== suffix))) {
      numbered = false;
      return;
    }
    prefix = match[1]!;
    suffix = match[3]!;
    // Pad only when every real id has the same number of digits.
    width = width === null || width === match[2]!.length ? match[2]!.length : 0;
  });
  if (seen > 0 && uuid) return { kind: 'uuid' };
  if (seen > 0 && numbered) {
    return { kind: 'text', prefix: prefix ?? '', suffix: suffix ?? '', width: width ?? 0 };
  }
  return { kind: 'text', prefix: 'id-', suffix: '', width: 0 };
}

/**
 * Generates `rows` unique ids numbered idStart, idStart + 1, ... as a column of `type`.
 * @param pattern from learnIdPattern
 * @param type the column's Arrow type at fit time
 */
export function generateIds(
  pattern: IdPattern,
  type: ArrowTypeJSON,
  rows: number,
  idStart: number,
): arrow.Data {
  const numbers = new Float64Array(rows);
  for (let row = 0; row < rows; row++) numbers[row] = idStart + row;
  if (pattern.kind === 'integer') return buildNumberData(type, numbers, null);

  const texts = new Array<string>(rows);
  for (let row = 0; row < rows; row++) texts[row] = formatId(pattern, numbers[row]!);
  const valueType = valueTypeOf(type);
  const data = buildTextData(valueType, texts);
  if (type.kind !== 'dictionary') return data;
  const indices = new Float64Array(rows);
  for (let row = 0; row < rows; row++) indices[row] = row;
  return buildDictionaryData(type, indices, null, data);
}

function formatId(pattern: IdPattern, number: number): string {
  if (pattern.kind === 'uuid') {
    const hex = number.toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  }
  if (pattern.kind === 'text') {
    return `${pattern.prefix}${String(number).padStart(pattern.width, '0')}${pattern.suffix}`;
  }
  return String(number);
}
