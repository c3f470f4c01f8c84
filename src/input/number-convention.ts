/**
 * How a CSV file writes numbers, read from the file itself. A semicolon CSV is what the Excels of
 * Germany, France, the Netherlands, Spain, Italy… save, with a decimal comma: there `1.000` is one
 * thousand. A Swiss Excel also saves semicolons, but with a decimal point (and 1'000); so a semicolon
 * file in which a field reads as a number with a decimal point or an apostrophe is not taken as
 * decimal-comma, and an ambiguous number in it is refused as in any other file.
 */
import type { NumberConvention } from '../model/decimal-comma.js';

export type { NumberConvention };

// A field that is a number with a decimal point that cannot be a thousands group (1.5, 2.25, 0.1234),
// or with apostrophes between thousands (1'000): a file that writes numbers so has no decimal comma.
const DECIMAL_POINT_FIELD = /(?:^|;)"?[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:'\d{3})+)"?(?=;|\r|\n|$)/m;

/** The file's number convention from its delimiter and its first lines (the text the delimiter was found in). */
export function numberConvention(delimiter: string, headText: string): NumberConvention | undefined {
  if (delimiter !== ';') return undefined;
  return DECIMAL_POINT_FIELD.test(headText) ? undefined : 'decimal-comma';
}
