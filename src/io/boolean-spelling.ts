// How a boolean column spells its values in text files (True/False, true/false, TRUE/FALSE).
// Readers record the spelling on the Arrow field; the CSV writer writes it back.
import type * as arrow from 'apache-arrow';

/** How true and false are written. */
export type BooleanSpelling = 'true/false' | 'True/False' | 'TRUE/FALSE';

/** All spellings; CSV cells in any one of them read as booleans. */
export const BOOLEAN_SPELLINGS: readonly BooleanSpelling[] = [
  'true/false',
  'True/False',
  'TRUE/FALSE',
];

/**
 * The Arrow field-metadata key that holds a boolean column's spelling. The transformer keeps
 * the fields of the training table, so sampled tables carry the spelling to the writers.
 */
export const BOOLEAN_SPELLING_KEY = 'tabsynth.booleanSpelling';

/**
 * The spelling recorded on a field.
 * @param field an Arrow field
 * @returns its spelling; 'true/false' when none is recorded or the value is unknown
 */
export function booleanSpellingOf(field: arrow.Field): BooleanSpelling {
  const recorded = field.metadata.get(BOOLEAN_SPELLING_KEY);
  return BOOLEAN_SPELLINGS.find((spelling) => spelling === recorded) ?? 'true/false';
}

/**
 * Writes a boolean in a spelling.
 * @param value the boolean
 * @param spelling e.g. 'True/False'
 * @returns e.g. 'True'
 */
export function spellBoolean(value: boolean, spelling: BooleanSpelling): string {
  const [whenTrue, whenFalse] = spelling.split('/') as [string, string];
  return value ? whenTrue : whenFalse;
}
