// The city overview map's state per district: the lägesbild comes first (missing, older than two years), then the
// plan (none, draft, decided or published); attention when an indicator is off track or a measure overdue.
import { describe, expect, it } from 'vitest';
import { bboxOf, needsAttention, overviewStatus } from './overview-layer.js';

const row = (latestReportDate: string | null, stale: boolean, plan: { status: string; indicators?: Record<string, number>; overdueMeasures?: number } | null) => ({ latestReportDate, stale, latestActionPlan: plan });

describe('overview map state', () => {
  it('puts a missing or stale lägesbild before any plan, and a decided or published plan together', () => {
    expect(overviewStatus(row(null, true, null))).toBe('missing');
    expect(overviewStatus(row('2023-10-01', true, { status: 'published' }))).toBe('stale');
    expect(overviewStatus(row('2025-10-01', false, null))).toBe('noPlan');
    expect(overviewStatus(row('2025-10-01', false, { status: 'draft' }))).toBe('draft');
    expect(overviewStatus(row('2025-10-01', false, { status: 'decided' }))).toBe('decided');
    expect(overviewStatus(row('2025-10-01', false, { status: 'published' }))).toBe('decided');
  });
  it('marks attention for an indicator off track or an overdue measure, not for one on track', () => {
    expect(needsAttention(row('2025-10-01', false, { status: 'decided', indicators: { onTrack: 2 }, overdueMeasures: 0 }))).toBe(false);
    expect(needsAttention(row('2025-10-01', false, { status: 'decided', indicators: { offTrack: 1 } }))).toBe(true);
    expect(needsAttention(row('2025-10-01', false, { status: 'draft', overdueMeasures: 2 }))).toBe(true);
    expect(needsAttention(row(null, true, null))).toBe(false);
  });
  it('bounds a multipolygon and a collection', () => {
    expect(bboxOf({ type: 'MultiPolygon', coordinates: [[[[18, 59], [18.2, 59.1], [18.1, 59.3], [18, 59]]], [[[17.9, 59.2], [18, 59.2], [18, 59.25], [17.9, 59.2]]]] })).toEqual([[17.9, 59], [18.2, 59.3]]);
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});
