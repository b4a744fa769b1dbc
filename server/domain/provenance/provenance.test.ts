// The public view of provenance (issue 15): an import batch's first and last event only as month bounds — the first
// day of the local month of the first event and the last day of the local month of the last one, dates only.
// The API-level attack on the same data is test/security/disclosure-extents.test.ts.
import { describe, expect, it } from 'vitest';
import { publicProvenance, type Provenance } from './provenance.js';

// the first and the last shooting (17 March 2024 21:14 CET, 2 October 2025 03:40 CEST) in UTC, and their month bounds
const FIRST_UTC = '2024-03-17T20:14:00.000Z', LAST_UTC = '2025-10-02T01:40:00.000Z';
const MONTH_FIRST = '2024-03-01', MONTH_LAST = '2025-10-31';

describe('public provenance: month bounds in local time', () => {
  it('rounds first down to the first day and last up to the last day of the local month, dates only', () => {
    const ref = (first: string, last: string) => ({ id: 1, kind: 'shootings', provider: 'file', fileName: 'x.csv', importedAt: '2025-11-01T10:00:00.000Z', incidents: 40, firstOccurred: first, lastOccurred: last });
    const p: Provenance = { incidentBatches: [ref(FIRST_UTC, LAST_UTC), ref('2024-02-29T23:30:00.000Z', '2025-10-31T23:30:00.000Z')], areaSetBatch: null, populationBatches: [] };
    const pub = publicProvenance(p, 5).incidentBatches;
    expect([pub[0].firstOccurred, pub[0].lastOccurred]).toEqual([MONTH_FIRST, MONTH_LAST]);
    // 00:30 on 1 March and 00:30 on 1 November in Stockholm: the local months, not the UTC ones
    expect([pub[1].firstOccurred, pub[1].lastOccurred]).toEqual(['2024-03-01', '2025-11-30']);
    expect(pub[0].incidents).toBe(40);
  });
});
