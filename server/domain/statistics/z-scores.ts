// Standard scores relative to the set's own mean and (population) standard deviation; nulls stay null and do
// not take part. With fewer than two values or no spread every score is null (nothing to compare against).
import { mean, standardDeviation } from 'simple-statistics';

export function zScores(values: (number | null)[]): (number | null)[] {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length < 2) return values.map(() => null);
  const m = mean(xs);
  const sd = standardDeviation(xs);
  if (!(sd > 0)) return values.map(() => null);
  return values.map((v) => (v === null || !Number.isFinite(v) ? null : (v - m) / sd));
}
