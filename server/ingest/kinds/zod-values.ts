// zod pieces for import rows: each failure message either starts with the quoted value or reads after it.
import { z } from 'zod';
import { parseFiniteNumber, parseIntStrict, type Parsed } from '../parse-values.js';

export function parsed<T>(fn: (s: string) => Parsed<T>) {
  return z.string().transform((s, ctx) => {
    const r = fn(s);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.reason }); return z.NEVER; }
    return r.value;
  });
}
export const intIn = (min: number, max: number) => parsed((s) => parseIntStrict(s, min, max));
export const finite = parsed((s) => parseFiniteNumber(s));
export const optionalFinite = z.string().transform((s) => (s.trim() === '' ? null : s)).pipe(finite.nullable());
export const code = z.string().regex(/^[\p{L}\p{N}_.:-]{1,64}$/u, 'is not a code (letters, digits, _ . : -, at most 64)');
export const text = (max: number) => z.string().min(1, 'is missing').max(max, `is longer than ${max} characters`);
export function oneOf<T extends string>(values: readonly T[]) {
  return z.string().transform((s) => s.trim().toLowerCase()).pipe(z.enum(values as unknown as [T, ...T[]], { error: () => `is not one of ${values.join('|')}` }));
}
/** Survey/population groups: all, female, male, or an age band like 16-29, 85+, 0-5. */
export const ageBand = z.string().regex(/^(\d{1,3}-\d{1,3}|\d{1,3}\+)$/, 'is not an age band (e.g. 16-29 or 80+)');
