// The before/after evaluation of a place: incidents inside the place, in a displacement ring around it and in a
// control area, before and after; the difference-in-differences rate ratios (place and ring vs control), the
// Weighted Displacement Difference and Quotient, a verdict that never claims more than the tests support and a
// plain-language sentence.
//
// Regions (exact points only; an incident known only to an area is never spread into the place):
//   place   — inside the place polygon;
//   buffer  — within bufferMetres of the place but not inside it (ST_DWithin: the exact ring, no polygonised arc);
//   control — inside the control area (default: the place's district; or the area given) and further than
//             bufferMetres from the place.
// Periods: local days, both ends inclusive in the API ("2024-01-01..2024-12-31"). Defaults: before = the year
// before the place's start date, after = from the start date to the last day with data. Both are clipped to the
// days the source has data for (so a period reaching past the data does not look like a fall); `clippedToData`
// says when that happened. Counts are also given per day, since the periods may differ in length.
//
// Privacy: analysts and admins see every number. Everyone else (public, staff) gets the viewer's disclosure control:
// both periods whole months anchored at the start of the after period, 3, 6, 12 or 24 months long, the buffer
// from a short list (PUBLIC_BUFFER_METRES: a free distance would let rings of 5 cm difference locate one event),
// every count protected by its cell key (counts below k null), and every statistic — the rate ratios with their
// CIs, WDD, WDQ and the verdict itself — computed from the PUBLISHED counts (hidden ones as 0), so nothing shown
// says more than the published counts; statistics from a hidden count are null.
import type { Queryable } from '../../db/index.js';
import { invalid } from '../problems.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { addDays, addMonths, addYears, daysBetween, monthEndExclusive, monthsBetween, monthStart } from '../../../shared/dates.js';
import { sourceInSentence } from '../../../shared/sources.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';
import { evaluationSentence } from './evaluation-sentence.js';
import { decideVerdict } from './evaluation-verdict.js';
import type { Evaluation, RatioView, RegionView } from './evaluation-schema.js';
import { dayStart, sourceCoverage } from './place-incident-counts.js';
import { getPlace } from './place-store.js';
import { weightedDisplacementDifference, weightedDisplacementQuotient, type RegionCounts } from './weighted-displacement.js';

export const DEFAULT_BUFFER_METRES = 250;
/** The ring widths the public may ask for (analysts: any). */
export const PUBLIC_BUFFER_METRES = [100, 250, 500];
/** The lengths (months) of the public's before and after periods. */
export const PUBLIC_EVALUATION_MONTHS = [3, 6, 12, 24];

export type DayRange = { from: string; to: string };
export type EvaluationOptions = {
  source: string; categories: string[] | null; before?: DayRange; after?: DayRange; controlAreaId?: number; bufferMetres?: number;
  disclosure: Disclosure;
};

// the answer's shape: one zod schema (evaluation-schema.ts), the types derived from it
export type { Evaluation, RatioView, RegionView };

const METHOD = {
  en: 'Exact incident points are counted inside the place, in the ring within the buffer distance around it, and in the control area outside the ring. '
    + 'Difference-in-differences rate ratio = (place after/before) ÷ (control after/before), 95 % CI log RR ± 1.96·√(1/a+1/b+1/c+1/d), 0.5 added to all four counts when one is 0. '
    + 'WDD (Wheeler & Ratcliffe 2018) = ΔPlace − kP·ΔControl + ΔRing − kR·ΔControl in incidents per after period (before counts scaled by the ratio of period lengths; k = the region\'s before-count ÷ the control\'s), Poisson variance, z test. '
    + 'WDQ (Bowers & Johnson 2003) = (Ring_a/Control_a − Ring_b/Control_b) ÷ (Place_a/Control_a − Place_b/Control_b), defined only when the place fell relative to the control. '
    + 'Verdict: improved only if the place\'s rate-ratio CI lies below 1; worsened only if above 1; displacement-suspected if the place fell while the ring\'s rate-ratio CI lies above 1; otherwise no-detectable-change. Counts are assumed Poisson; overdispersed data make the intervals too narrow.',
  sv: 'Exakta händelsepunkter räknas i platsen, i zonen inom buffertavståndet runt den och i kontrollområdet utanför zonen. '
    + 'Skillnad-i-skillnader som kvot = (platsen efter/före) ÷ (kontrollen efter/före), 95 % KI log-kvot ± 1,96·√(1/a+1/b+1/c+1/d), 0,5 läggs till alla fyra antal när något är 0. '
    + 'WDD (Wheeler & Ratcliffe 2018) = ΔPlats − kP·ΔKontroll + ΔZon − kZ·ΔKontroll i händelser per efterperiod, Poissonvarians, z-test. '
    + 'WDQ (Bowers & Johnson 2003) = (Zon_e/Kontroll_e − Zon_f/Kontroll_f) ÷ (Plats_e/Kontroll_e − Plats_f/Kontroll_f), definierad bara när platsen minskat jämfört med kontrollen. '
    + 'Utlåtande: förbättring bara om platsens KI ligger under 1; försämring bara om över 1; misstänkt förflyttning om platsen minskat medan zonens KI ligger över 1; annars ingen påvisbar förändring. Antalen antas Poissonfördelade; överspridda data ger för smala intervall.',
};

const bad = (parameter: string, message: string) => invalid(`${parameter}: ${message}`, [{ field: parameter, message }]);
const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

export async function evaluatePlace(db: Queryable, placeId: number, o: EvaluationOptions): Promise<Evaluation> {
  const place = await getPlace(db, placeId);
  const d = o.disclosure;
  // the public learns the data's first and last day only to the month (the last one is the newest event's day)
  const exactCov = await sourceCoverage(db, o.source);
  const cov = d.exact || !exactCov.firstDay || !exactCov.lastDay ? exactCov
    : { firstDay: d.eventDate(exactCov.firstDay), lastDay: d.eventDate(exactCov.lastDay, true) };
  const bufferMetres = o.bufferMetres ?? DEFAULT_BUFFER_METRES;
  if (!d.exact && !PUBLIC_BUFFER_METRES.includes(bufferMetres)) {
    throw bad('bufferMetres', `for the public one of ${PUBLIC_BUFFER_METRES.join(', ')} m (finer rings would locate single events; analysts may choose any)`);
  }

  // periods (inclusive days)
  let before = o.before, after = o.after;
  if (!before || !after) {
    if (!place.startDate) throw bad(before ? 'after' : 'before', 'the place has no start date, so give both before=<from..to> and after=<from..to>');
    before ??= { from: addYears(place.startDate, -1), to: addDays(place.startDate, -1) };
    after ??= { from: place.startDate, to: cov.lastDay && cov.lastDay > place.startDate ? cov.lastDay : place.startDate };
  }
  if (before.to < before.from) throw bad('before', `the period ends (${before.to}) before it starts (${before.from})`);
  if (after.to < after.from) throw bad('after', `the period ends (${after.to}) before it starts (${after.from})`);
  if (after.from <= before.to) throw bad('after', `the after period (from ${after.from}) must start after the before period ends (${before.to})`);
  if (!d.exact) {
    // the public grid: both periods whole months anchored at the month the after period starts in, each as long as
    // the shortest of PUBLIC_EVALUATION_MONTHS that covers what was asked (free day ranges would let an attacker
    // slide one end day by day); inclusive days in and out
    const anchor = monthStart(after.from);
    const months = (r: DayRange) => monthsBetween(monthStart(r.from), monthEndExclusive(addDays(r.to, 1)));
    const pick = (n: number) => PUBLIC_EVALUATION_MONTHS.find((m) => m >= n) ?? PUBLIC_EVALUATION_MONTHS[PUBLIC_EVALUATION_MONTHS.length - 1];
    before = { from: addMonths(anchor, -pick(months(before))), to: addDays(anchor, -1) };
    after = { from: anchor, to: addDays(addMonths(anchor, pick(months(after))), -1) };
  }
  let clipped = false;
  const clip = (r: DayRange): DayRange | null => {
    if (!cov.firstDay || !cov.lastDay) return null;
    const c = { from: maxDay(r.from, cov.firstDay), to: minDay(r.to, cov.lastDay) };
    if (c.from !== r.from || c.to !== r.to) clipped = true;
    return c.to < c.from ? null : c;
  };
  const b = clip(before), a = clip(after);
  const bDays = b ? daysBetween(b.from, b.to) + 1 : 0;
  const aDays = a ? daysBetween(a.from, a.to) + 1 : 0;

  // control area
  const controlAreaId = o.controlAreaId ?? place.district?.id;
  if (controlAreaId === undefined) throw bad('controlAreaId', 'the place has no district (it lies outside the bundled districts); give a control area id (GET /api/area-sets/{id}/areas)');
  const geo = await db.query<{ code: string; name: string; area_set_id: string; place_m2: number; outer_m2: number; control_m2: number; control_full_m2: number }>(
    `WITH p AS (SELECT geom FROM places WHERE id = $1), c AS (SELECT * FROM areas WHERE id = $2)
     SELECT c.code, c.name, c.area_set_id, ST_Area(p.geom) AS place_m2,
            CASE WHEN $3::float8 > 0 THEN ST_Area(ST_Buffer(p.geom, $3::float8)) ELSE ST_Area(p.geom) END AS outer_m2,
            ST_Area(CASE WHEN $3::float8 > 0 THEN ST_Difference(c.geom, ST_Buffer(p.geom, $3::float8)) ELSE ST_Difference(c.geom, p.geom) END) AS control_m2,
            c.area_m2 AS control_full_m2
     FROM p, c`, [placeId, controlAreaId, bufferMetres]);
  if (!geo.rows.length) throw bad('controlAreaId', `no area ${controlAreaId}`);
  const g = geo.rows[0];
  if (g.control_m2 < Math.max(g.place_m2, 0.01 * g.control_full_m2)) throw bad('controlAreaId', 'the control area lies (almost) entirely within the place and its buffer ring; choose a larger or another area');
  const areas = { place: g.place_m2, buffer: Math.max(0, g.outer_m2 - g.place_m2), control: g.control_m2 };

  // counts per region × period × month
  const zero = (): RegionCounts => ({ before: 0, after: 0 });
  const counts = { place: zero(), buffer: zero(), control: zero() };
  const keys = { place: zero(), buffer: zero(), control: zero() };
  type MonthRow = { month: string; period: 'before' | 'after'; place: number; buffer: number; control: number; placeKs: number; bufferKs: number; controlKs: number };
  const months = new Map<string, MonthRow>();
  const imprecise = { before: 0, after: 0 }, impreciseKeys = { before: 0, after: 0 };
  const keyOf = (params: unknown[]) => d.recordKeySql(params, 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`);
  if (b && a) {
    const cats = o.categories && o.categories.length ? o.categories : null;
    const params: unknown[] = [placeId, bufferMetres, o.source, cats, b.from, addDays(b.to, 1), a.from, addDays(a.to, 1), controlAreaId];
    const key = keyOf(params);
    // the control area's bounding box before its pieces: without it every exact incident of the two periods was tested
    // against the pieces (2 s for a place in Husby on the embedded sample data)
    const r = await db.query<{ region: 'place' | 'buffer' | 'control'; period: 'before' | 'after'; month: string; n: number; ks: string }>(
      `WITH p AS (SELECT geom FROM places WHERE id = $1)
       SELECT CASE WHEN ST_Intersects(p.geom, i.geom) THEN 'place' WHEN ST_DWithin(p.geom, i.geom, $2::float8) THEN 'buffer' ELSE 'control' END AS region,
              CASE WHEN i.occurred_from < ${dayStart(6)} THEN 'before' ELSE 'after' END AS period,
              to_char(i.occurred_from AT TIME ZONE '${LOCAL_TZ}', 'YYYY-MM') AS month,
              count(*)::int AS n, (sum(${key}::bigint) % ${2 ** 24})::bigint AS ks
       FROM incidents i CROSS JOIN p
       WHERE i.source = $3 AND i.precision = 'exact' AND i.geom IS NOT NULL AND ($4::text[] IS NULL OR i.category = ANY($4::text[]))
         AND ((i.occurred_from >= ${dayStart(5)} AND i.occurred_from < ${dayStart(6)}) OR (i.occurred_from >= ${dayStart(7)} AND i.occurred_from < ${dayStart(8)}))
         AND (ST_DWithin(p.geom, i.geom, $2::float8)
              OR (i.geom && (SELECT ST_Envelope(c.geom) FROM areas c WHERE c.id = $9)
                  AND EXISTS (SELECT 1 FROM area_pieces ap WHERE ap.area_id = $9 AND ST_Intersects(ap.geom, i.geom))))
       GROUP BY 1, 2, 3`, params);
    for (const x of r.rows) {
      counts[x.region][x.period] += x.n;
      keys[x.region][x.period] += Number(x.ks);
      const mk = `${x.month}|${x.period}`;
      const m = months.get(mk) ?? { month: x.month, period: x.period, place: 0, buffer: 0, control: 0, placeKs: 0, bufferKs: 0, controlKs: 0 };
      m[x.region] += x.n;
      m[`${x.region}Ks`] += Number(x.ks);
      months.set(mk, m);
    }
    const iparams: unknown[] = [placeId, bufferMetres, o.source, cats, b.from, addDays(b.to, 1), a.from, addDays(a.to, 1)];
    const ikey = keyOf(iparams);
    const im = await db.query<{ period: 'before' | 'after'; n: number; ks: string }>(
      `WITH p AS (SELECT ST_Buffer(geom, $2::float8) AS geom FROM places WHERE id = $1)
       SELECT CASE WHEN i.occurred_from < ${dayStart(6)} THEN 'before' ELSE 'after' END AS period, count(*)::int AS n,
              (sum(${ikey}::bigint) % ${2 ** 24})::bigint AS ks
       FROM incidents i JOIN areas ar ON ar.id = i.location_area_id CROSS JOIN p
       WHERE i.source = $3 AND i.geom IS NULL AND ($4::text[] IS NULL OR i.category = ANY($4::text[]))
         AND ((i.occurred_from >= ${dayStart(5)} AND i.occurred_from < ${dayStart(6)}) OR (i.occurred_from >= ${dayStart(7)} AND i.occurred_from < ${dayStart(8)}))
         AND ST_Intersects(ar.geom, p.geom)
       GROUP BY 1`, iparams);
    for (const x of im.rows) { imprecise[x.period] += x.n; impreciseKeys[x.period] += Number(x.ks); }
  }

  // what this viewer may see: the published counts (exact, or cell-key protected)
  const exact = d.exact;
  const k = d.k;
  const pub = (rc: RegionCounts, ks: RegionCounts) => ({ before: d.count(rc.before, ks.before), after: d.count(rc.after, ks.after) });
  const shownCounts = { place: pub(counts.place, keys.place), buffer: pub(counts.buffer, keys.buffer), control: pub(counts.control, keys.control) };
  const hidden = (x: { before: number | null; after: number | null }) => x.before === null || x.after === null;
  const hide = { place: hidden(shownCounts.place), buffer: hidden(shownCounts.buffer), control: hidden(shownCounts.control) };
  const suppressed = hide.place || hide.buffer || hide.control;
  // statistics from the published counts (hidden ones as 0): never more than the published numbers say
  const asCounts = (x: { before: number | null; after: number | null }): RegionCounts => ({ before: x.before ?? 0, after: x.after ?? 0 });
  const used = { place: asCounts(shownCounts.place), buffer: asCounts(shownCounts.buffer), control: asCounts(shownCounts.control) };
  const tested = b && a;
  const v = tested ? decideVerdict(used.place, used.buffer, used.control) : { verdict: 'no-detectable-change' as const, reason: 'no-data-in-period' as const, place: null, buffer: null };
  const wdd = tested && used.control.before > 0 ? weightedDisplacementDifference({ place: used.place, buffer: used.buffer, control: used.control, daysBefore: bDays, daysAfter: aDays, areas }) : null;
  const wdq = tested ? weightedDisplacementQuotient(used.place, used.buffer, used.control) : null;
  const region = (x: { before: number | null; after: number | null }): RegionView => {
    const sb = x.before, sa = x.after;
    return { before: sb, after: sa, beforePerDay: sb === null || !bDays ? null : sb / bDays, afterPerDay: sa === null || !aDays ? null : sa / aDays };
  };
  const ratio = (rr: typeof v.place, hiddenHere: boolean): RatioView => (!rr || hiddenHere ? null : {
    ratio: rr.ratio, ciLow: rr.ciLow, ciHigh: rr.ciHigh, pValue: rr.pValue, significant: rr.significant, continuityCorrected: rr.corrected,
  });
  const placeRr = ratio(v.place, hide.place || hide.control);
  const bufferRr = ratio(v.buffer, hide.buffer || hide.control);
  const sentence = evaluationSentence({
    placeName: place.name, sourceLabel: sourceInSentence(o.source), bufferMetres, controlName: g.name,
    verdict: v.verdict, reason: v.reason, suppressed: hide.place || hide.control,
    place: hide.place ? null : used.place, buffer: hide.buffer ? null : used.buffer,
    daysBefore: bDays, daysAfter: aDays, placeRr, bufferRr,
  });
  // every month of both periods (zeros included), with the number of its days inside the period
  const monthRows: Evaluation['series'] = [];
  for (const [period, r] of [['before', b], ['after', a]] as const) {
    if (!r) continue;
    let first = `${r.from.slice(0, 7)}-01`;
    while (first <= r.to) {
      const next = new Date(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)), 1)).toISOString().slice(0, 10);
      const days = daysBetween(maxDay(first, r.from), minDay(next, addDays(r.to, 1)));
      const m = months.get(`${first.slice(0, 7)}|${period}`) ?? { place: 0, buffer: 0, control: 0, placeKs: 0, bufferKs: 0, controlKs: 0 };
      monthRows.push({ month: first.slice(0, 7), period, days, place: d.count(m.place, m.placeKs), buffer: d.count(m.buffer, m.bufferKs), control: d.count(m.control, m.controlKs) });
      first = next;
    }
  }
  return {
    placeId, placeName: place.name, synthetic: place.synthetic, source: o.source, categories: o.categories,
    before: { ...(b ?? before), days: bDays }, after: { ...(a ?? after), days: aDays }, clippedToData: clipped, dataCoverage: cov,
    bufferMetres,
    control: {
      areaId: controlAreaId, code: g.code, name: g.name, areaSetId: g.area_set_id, isPlaceDistrict: place.district?.id === controlAreaId,
      description: `${g.name} minus the place and the ${bufferMetres} m ring`,
    },
    areasKm2: { place: areas.place / 1e6, buffer: areas.buffer / 1e6, control: areas.control / 1e6 },
    counts: { place: region(shownCounts.place), buffer: region(shownCounts.buffer), control: region(shownCounts.control) },
    impreciseNearby: {
      before: d.count(imprecise.before, impreciseKeys.before), after: d.count(imprecise.after, impreciseKeys.after),
      note: 'incidents known only to an area that overlaps the place or its ring: they cannot be placed and are not counted',
    },
    differenceInDifferences: { place: placeRr, buffer: bufferRr },
    wdd: suppressed ? null : wdd,
    wdq: suppressed ? null : wdq,
    verdict: v.verdict, reason: v.reason, sentence,
    series: monthRows,
    suppressed, suppressionK: k, exactCounts: exact, method: METHOD,
  };
}
