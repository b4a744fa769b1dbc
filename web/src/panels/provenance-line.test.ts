// The provenance line of aggregated counts (import kind area-counts): it says they are aggregated, per what, from
// which file and when it was imported, up to which day, and when the data do not cover the whole period.
import { describe, expect, it } from 'vitest';
import { aggregatedOf, aggregatedParts } from './provenance-line.js';

const meta = {
  provenance: { incidentBatches: [] },
  aggregated: { kind: 'area-counts', granularity: 'month', dataFrom: '2025-01-01', dataTo: '2026-01-01', complete: true, previousCovered: false,
    batches: [{ id: 9, provider: 'file', fileName: 'brott-kommun-2025.xlsx', sha256: 'ab', importedAt: '2026-11-30T22:49:07.685Z', rows: 624 }] },
};

describe('the provenance line of aggregated counts', () => {
  it('names the granularity, the file and its import day, and the last day of the data', () => {
    const a = aggregatedOf(meta)!;
    const parts = aggregatedParts(a, 'sv');
    expect(parts[0]).toBe('aggregerade antal per månad ur brott-kommun-2025.xlsx (importerad 30 nov 2026)');
    expect(parts[1]).toBe('data t.o.m. 31 dec 2025');
    expect(parts).toHaveLength(2);
  });

  it('says when the data cover only part of the period, and is absent for counted events', () => {
    expect(aggregatedParts({ ...meta.aggregated, granularity: 'quarter', complete: false } as never, 'sv')).toEqual([
      'aggregerade antal per kvartal ur brott-kommun-2025.xlsx (importerad 30 nov 2026)', 'data t.o.m. 31 dec 2025', 'data saknas för en del av perioden']);
    expect(aggregatedOf({ provenance: {}, aggregated: null })).toBeNull();
    expect(aggregatedOf(undefined)).toBeNull();
  });
});
