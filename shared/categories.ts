// Category codes ('misshandel', 'skott-dod', …): letters, digits and _ . : -, one rule for the server's imports and
// query parameters and for the web map's URL.

/** One character of a category code, as a regular-expression class (use with the u flag). */
export const CATEGORY_CODE_CHAR = String.raw`[\p{L}\p{N}_.:-]`;

const CODE = new RegExp(`^${CATEGORY_CODE_CHAR}+$`, 'u');

export function isCategoryCode(s: string): boolean {
  return CODE.test(s);
}

/** The codes of a comma-separated list ("a,b"), leaving out anything that is not a code. */
export function categoryCodesOf(list: string): string[] {
  return list.split(',').filter(isCategoryCode);
}
