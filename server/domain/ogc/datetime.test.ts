// OGC API – Features' datetime parameter: a date or an instant, a closed or half-open interval (RFC 3339 with the
// standard's ".." for an open end); impossible dates and inverted or malformed intervals are refused.
import { describe, expect, it } from 'vitest';
import { parseDatetime } from './datetime.js';

describe('the OGC datetime parameter', () => {
  it('parses datetime instants, intervals and open ends', () => {
    expect(parseDatetime('2024-05-01')).toMatchObject({ instant: true, start: { kind: 'date', day: '2024-05-01' } });
    expect(parseDatetime('2024-05-01T10:00:00Z')?.start).toMatchObject({ kind: 'datetime' });
    expect(parseDatetime('2024-01-01/2024-12-31')).toMatchObject({ instant: false, start: { day: '2024-01-01' }, end: { day: '2024-12-31' } });
    expect(parseDatetime('../2024-12-31')).toMatchObject({ start: null, end: { day: '2024-12-31' } });
    expect(parseDatetime('2024-01-01/..')).toMatchObject({ start: { day: '2024-01-01' }, end: null });
    expect(parseDatetime('2024-01-01/')).toMatchObject({ end: null });
    expect(parseDatetime(undefined)).toBeNull();
    for (const bad of ['2024-02-30', '2024-13-01', '../..', '..', 'yesterday', '2024-05-01T10:00:00', '2024-12-31/2024-01-01', '2024-01-01/2024-02-01/2024-03-01']) {
      expect(() => parseDatetime(bad), bad).toThrow(/datetime/);
    }
  });
});
