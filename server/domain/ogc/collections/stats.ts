// `stats-<areaSet>-<source>`: the areas of a set with the per-area statistics of one source, exactly the rows of
// /api/stats (areaStats, the same disclosure control for the caller's role), for a period: by default the 12
// months up to the latest data of the source, else the `datetime` dates (whole local days; an interval's end day
// is included). Every feature carries its period (periodFrom inclusive, periodTo exclusive) so a desktop GIS that
// keeps only the features still knows what was counted.
import type { Queryable } from '../../../db/index.js';
import type { Source } from '../../../../shared/sources.js';
import type { Disclosure } from '../../disclosure/disclosure-control.js';
import { areaStats, type AreaStatsResult } from '../../area-stats/area-stats.js';
import { memo } from '../../data-version/memo.js';
import { publicEventSpan } from '../../provenance/provenance.js';
import { datetimeToDays, type DatetimeFilter } from '../datetime.js';
import type { AreaSetMeta } from './area-set.js';
import { AREA_QUERYABLES, areaFeature, areaFeatures, areaSetSpatialExtent } from './area-set.js';
import type { OgcCollection, OgcFeature } from '../types.js';


export const SOURCE_TITLES: Record<Source, string> = {
  crimes: 'reported crimes', shootings: 'shootings', 'guard-reports': 'security-guard reports', 'citizen-reports': 'citizen reports',
  'police-events': 'police events (Polisen\'s public feed, placed by their text at area precision only)',
};

export function statsCollectionId(setId: string, source: Source): string {
  return `stats-${setId}-${source}`;
}

function statsFor(db: Queryable, setId: string, source: Source, dt: DatetimeFilter | null, access: Disclosure): Promise<AreaStatsResult> {
  const { from, to } = dt ? datetimeToDays(dt) : { from: undefined, to: undefined };
  // every page of a paged read needs the same figures: computed once per data version
  return memo(db, `ogc-stats|${setId}|${source}|${from ?? ''}|${to ?? ''}|${access.exact}|${access.k}`,
    () => areaStats(db, { areaSetId: setId, source, from, to }, { disclosure: access }));
}

function withStats(f: OgcFeature, s: AreaStatsResult, source: Source): OgcFeature {
  const row = s.rows.find((r) => r.areaId === f.id);
  return {
    ...f,
    properties: {
      ...(row ?? { areaId: f.id, code: f.properties.code, name: f.properties.name, parentCode: f.properties.parentCode }),
      areaSetId: f.properties.areaSetId, source, periodFrom: s.meta.period.from, periodTo: s.meta.period.to,
      // the period and its comparison period as people read them: first and last day, both inclusive (periodTo is exclusive)
      periodLastDay: s.meta.period.lastDay, previousPeriodFrom: s.meta.previousPeriod.from, previousPeriodLastDay: s.meta.previousPeriod.lastDay,
      comparisonRule: s.meta.previousPeriod.rule,
    },
  };
}

export function statsCollection(db: Queryable, set: AreaSetMeta, source: Source, access: Disclosure): OgcCollection {
  return {
    id: statsCollectionId(set.id, source),
    title: `${set.name}: ${SOURCE_TITLES[source]}`,
    description: `Per-area ${SOURCE_TITLES[source]} in "${set.name}": count, population, rate per 1,000, change against the previous period (rate ratio with 95 % CI). ` +
      'Default period: the 12 months up to the latest data; datetime=YYYY-MM-DD/YYYY-MM-DD chooses another (both days included). ' +
      (access.exact ? 'Exact counts (your role).' : `Counts below ${access.k} are null; larger counts are protected as in /api/stats (meta.disclosure), and the period is widened to whole months, quarters, twelve months or calendar years.`),
    access: 'public',
    geometryType: 'polygon',
    queryables: { ...AREA_QUERYABLES },
    datetimeMeaning: 'the period counted (dates only, whole local days; default the 12 months up to the latest data)',
    async extent() {
      const [spatial, t] = await Promise.all([
        areaSetSpatialExtent(db, set.id),
        memo(db, `ogc-time|${source}`, () => db.query<{ lo: Date | null; hi: Date | null }>('SELECT min(occurred_from) AS lo, max(occurred_from) AS hi FROM incidents WHERE source = $1', [source])),
      ]);
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      const lo = t.rows[0]?.lo ?? null, hi = t.rows[0]?.hi ?? null;
      // the first and last event's instants are exact data: the public gets their months (dates only)
      const span = access.exact ? { first: iso(lo), last: iso(hi) } : publicEventSpan(lo, hi);
      return { spatial, temporal: { interval: [[span.first, span.last]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } };
    },
    async items(q) {
      const [s, page] = await Promise.all([statsFor(db, set.id, source, q.datetime, access), areaFeatures(db, set.id, q)]);
      return {
        numberMatched: page.numberMatched,
        features: page.features.map((f) => withStats(f, s, source)),
        extra: { period: s.meta.period, previousPeriod: s.meta.previousPeriod, total: s.total, meta: s.meta },
      };
    },
    async item(featureId, crs, datetime) {
      const f = await areaFeature(db, set.id, featureId, crs);
      if (!f) return null;
      return withStats(f, await statsFor(db, set.id, source, datetime, access), source);
    },
  };
}
