// Survey (trygghetsmätning) figures per area for one wave, indicator and group, with the previous wave.
// A share is 0–1. Its CI is the file's when given, else Wilson from the respondents (statistics/wilson.ts);
// a mean without a CI from the file gets none (we have no spread). The change between waves is tested with the
// two-proportion z-test for shares (differenceSignificant); for means it is null (untestable without the spread).
// Privacy for the public and staff: a value from fewer than minRespondents (config.surveyMinRespondents, default 30)
// respondents is hidden, and complementary suppression within the sex and the age partition of each (wave, area,
// indicator) hides more groups so that no hidden group (nor a pooled set of them below the minimum) is 'all' minus
// the visible ones (survey-suppression.ts). A hidden group publishes no value, CI or respondents: suppressed true and
// suppression 'primary' | 'complementary'; the previous wave's fields follow that wave's own suppression. Analysts
// see every figure, flagged lowRespondents.
// At any level (one implementation for /api/survey, the area profile, the map and the lägesbild): an area of a set
// the survey was not reported for gets its figures from the survey areas by its basis (survey-basis.ts) — pooled
// over the survey areas it contains (survey-pooling.ts: population-weighted stratified estimate, hidden strata left
// out), borrowed from the one survey area it lies in (named as such), or not available; every row says which.
import type { Queryable } from '../../db/index.js';
import { notFound, unknownCode } from '../problems.js';
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { wilsonInterval } from '../statistics/wilson.js';
import { surveySuppression, type SuppressionReason } from './survey-suppression.js';
import { noSurveyBasis, surveyBases } from './survey-basis.js';
import { pooledFigure } from './survey-pooling.js';
import type { AreaSurvey, AreaSurveyItem, Indicator, SurveyBasis, SurveyFigure, SurveyGroup, SurveyGroups, SurveyResult, SurveyRow, Wave, WaveSummary } from './survey-schema.js';

export type SurveyOptions = { exact: boolean; minRespondents: number };
// the answers' shapes: one zod schema each (survey-schema.ts), the types derived from them
export type { AreaSurvey, AreaSurveyItem, Indicator, SurveyBasis, SurveyFigure, SurveyResult, SurveyRow, Wave, WaveSummary };
/** Why the current and the previous wave's figure of a group are hidden from a non-exact viewer (null: shown). */
export type FigureSuppression = { cur: SuppressionReason | null; prev: SuppressionReason | null };

type RawResult = { respondents: number; value: number; ci_low: number | null; ci_high: number | null };

/** A mean indicator (the trygghetsindex) is the average answer on the survey's 1–5 scale. */
export const SURVEY_MEAN_SCALE = { min: 1, max: 5 };

export async function listIndicators(db: Queryable): Promise<Indicator[]> {
  const r = await db.query<{ code: string; text_sv: string; text_en: string; kind: 'share' | 'mean'; direction: Indicator['direction'] }>(
    'SELECT code, text_sv, text_en, kind, direction FROM survey_indicators ORDER BY code');
  return r.rows.map((x) => ({ code: x.code, textSv: x.text_sv, textEn: x.text_en, kind: x.kind,
    unit: x.kind === 'mean' ? 'mean' : 'percent', scale: x.kind === 'mean' ? { ...SURVEY_MEAN_SCALE } : null, direction: x.direction }));
}

/** A group's labels: Alla/All, Kvinnor/Women, Män/Men, "16–29 år"/"16–29 years", "80+ år"; another code as it is. */
export function surveyGroupLabel(g: string): { sv: string; en: string; kind: SurveyGroup['kind'] } {
  if (g === 'all') return { sv: 'Alla', en: 'All', kind: 'all' };
  if (g === 'female') return { sv: 'Kvinnor', en: 'Women', kind: 'sex' };
  if (g === 'male') return { sv: 'Män', en: 'Men', kind: 'sex' };
  if (/^\d{1,3}(-\d{1,3}|\+)$/.test(g)) { const b = g.replace('-', '–'); return { sv: `${b} år`, en: `${b} years`, kind: 'age' }; }
  return { sv: g, en: g, kind: 'other' };
}

/** The respondent groups in the results (of one wave and/or indicator when given), with labels and the suppression rule. */
export async function listGroups(db: Queryable, q: { wave?: string; indicator?: string }, minRespondents: number): Promise<SurveyGroups> {
  const r = await db.query<{ grp: string; waves: string[] }>(
    `SELECT r.grp, array_agg(DISTINCT r.wave_id) AS waves FROM survey_results r
     WHERE ($1::text IS NULL OR r.wave_id = $1) AND ($2::text IS NULL OR r.indicator = $2) GROUP BY r.grp`, [q.wave ?? null, q.indicator ?? null]);
  const order = new Map((await listWaves(db)).map((w, i) => [w.id, i]));
  const wavesOf = new Map(r.rows.map((x) => [x.grp, [...x.waves].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))]));
  const n = minRespondents;
  return {
    meta: {
      wave: q.wave ?? null, indicator: q.indicator ?? null, minRespondents: n,
      suppressionLabel: { sv: `< ${n} svarande`, en: `< ${n} respondents` },
      suppressionRule: {
        sv: `< ${n} svarande: värden från färre än ${n} svarande visas inte, och inte heller så många andra grupper i samma indelning (kön, ålder) att de dolda tillsammans har minst ${n} svarande.`,
        en: `< ${n} respondents: values from fewer than ${n} respondents are not shown, nor enough other groups of the same partition (sex, age) for the hidden ones to hold at least ${n} respondents together.`,
      },
    },
    groups: sortGroups(r.rows.map((x) => x.grp)).map((g) => {
      const l = surveyGroupLabel(g);
      return { code: g, labelSv: l.sv, labelEn: l.en, kind: l.kind, waves: wavesOf.get(g) ?? [] };
    }),
  };
}

export async function listWaves(db: Queryable): Promise<WaveSummary[]> {
  const r = await db.query<{ id: string; name: string; year: number; area_set_id: string | null; indicators: string[] | null; groups: string[] | null; areas: number }>(
    `SELECT w.id, w.name, w.year, w.area_set_id,
            (SELECT array_agg(DISTINCT indicator ORDER BY indicator) FROM survey_results r WHERE r.wave_id = w.id) AS indicators,
            (SELECT array_agg(DISTINCT grp) FROM survey_results r WHERE r.wave_id = w.id) AS groups,
            (SELECT count(DISTINCT area_id)::int FROM survey_results r WHERE r.wave_id = w.id) AS areas
     FROM survey_waves w ORDER BY w.year DESC, w.id`);
  return r.rows.map((x) => ({ id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id, indicators: x.indicators ?? [], groups: sortGroups(x.groups ?? []), areas: Number(x.areas) }));
}

/**
 * One figure from the current and previous wave's raw results, with CI, test and suppression. `hidden` is the
 * complementary-suppression verdict for both waves (suppressionFor); a group below the minimum is hidden regardless.
 */
export function surveyFigure(kind: 'share' | 'mean', cur: RawResult | undefined, prev: RawResult | undefined, opts: SurveyOptions,
  hidden: FigureSuppression = { cur: null, prev: null }): SurveyFigure {
  const why = (r: RawResult | undefined, h: SuppressionReason | null): SuppressionReason | null =>
    opts.exact || !r ? null : h ?? (r.respondents < opts.minRespondents ? 'primary' : null);
  const prevShow = !!prev && why(prev, hidden.prev) === null;
  const previousWaveValue = prevShow ? prev!.value : null, previousRespondents = prevShow ? prev!.respondents : null;
  if (!cur) {
    return { value: null, ciLow: null, ciHigh: null, ciSource: null, respondents: null, previousWaveValue, previousRespondents,
      differenceSignificant: null, suppressed: false, suppression: null, lowRespondents: false, strataUsed: null, strataOmitted: [] };
  }
  let ciLow = cur.ci_low, ciHigh = cur.ci_high, ciSource: SurveyFigure['ciSource'] = ciLow !== null && ciHigh !== null ? 'file' : null;
  if (!ciSource && kind === 'share') {
    const w = wilsonInterval(cur.value, cur.respondents);
    if (w) { ciLow = w.low; ciHigh = w.high; ciSource = 'wilson'; }
  }
  const low = cur.respondents < opts.minRespondents;
  const suppression = why(cur, hidden.cur);
  const show = suppression === null;
  let diff: boolean | null = null;
  if (show && prevShow && kind === 'share') diff = twoProportionTest(cur.value, cur.respondents, prev!.value, prev!.respondents)?.significant ?? null;
  return {
    value: show ? cur.value : null, ciLow: show ? ciLow : null, ciHigh: show ? ciHigh : null, ciSource: show ? ciSource : null,
    respondents: show ? cur.respondents : null, previousWaveValue, previousRespondents,
    differenceSignificant: diff, suppressed: !show, suppression, lowRespondents: low, strataUsed: null, strataOmitted: [],
  };
}

/**
 * The suppression verdicts for raw results of several waves, areas, indicators and groups: each (wave, area,
 * indicator) is one cell of survey-suppression.ts. Returns a lookup by wave, area, indicator and group.
 */
export function suppressionFor(rows: { wave_id: string; area_id: number | string; indicator: string; grp: string; respondents: number | string }[], opts: SurveyOptions):
  (wave: string, area: number, indicator: string, group: string) => SuppressionReason | null {
  const key = (w: string, a: number, i: string) => `${w}\u0000${a}\u0000${i}`;
  if (opts.exact) return () => null;
  const cells = new Map<string, { group: string; respondents: number }[]>();
  for (const r of rows) {
    const k = key(r.wave_id, Number(r.area_id), r.indicator);
    cells.set(k, [...(cells.get(k) ?? []), { group: r.grp, respondents: Number(r.respondents) }]);
  }
  const verdicts = new Map([...cells].map(([k, groups]) => [k, surveySuppression(groups, opts.minRespondents)]));
  return (w, a, i, g) => verdicts.get(key(w, a, i))?.get(g) ?? null;
}

export const SURVEY_METHOD = 'Shares 0-1. CI from the file, else Wilson 95% from respondents. differenceSignificant: pooled two-proportion z-test ' +
  'between this and the previous wave (alpha 0.05), shares only. For the public: values from fewer than minRespondents respondents are hidden ' +
  '(suppression primary), and within the sex and the age partition of an area more groups are hidden, smallest first, until the hidden groups ' +
  'hold at least minRespondents respondents together (suppression complementary), so that no hidden value is all minus the visible groups; ' +
  'a hidden group shows no value, CI or respondents. Any area set: basis.kind says how a row was obtained — own; pooled over the survey areas the area ' +
  'contains (p = sum N_h p_h / sum N_h with N_h the population, variance sum (N_h/N)^2 p_h(1-p_h)/n_h (a mean: its CI\'s SE squared), normal 95% CI, ' +
  'n = sum n_h; strata hidden from your role are left out and listed in strataOmitted, and the figure is shown only when the strata used hold at ' +
  'least 90% of the population); containing = the figures of the one survey area the area lies in (basis.surveyArea), not the area\'s own; ' +
  'not-available = survey areas overlap the area only in part.';


type WaveRow = { id: string; name: string; year: number; area_set_id: string | null };
const toWave = (x: WaveRow): Wave => ({ id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id });
/** A wave with the area set it is reported for: the set holding its results (most of them, should a file mix sets). */
type SurveyWave = Wave & { surveySetId: string };

async function waveById(db: Queryable, id: string): Promise<Wave | null> {
  const r = await db.query<WaveRow>('SELECT id, name, year, area_set_id FROM survey_waves WHERE id = $1', [id]);
  return r.rows[0] ? toWave(r.rows[0]) : null;
}

/** The waves with results (for an indicator), newest first, each with the area set it is reported for. */
async function surveyWaves(db: Queryable, indicator?: string): Promise<SurveyWave[]> {
  const r = await db.query<WaveRow & { survey_set: string }>(
      `SELECT w.id, w.name, w.year, w.area_set_id,
              (SELECT a.area_set_id FROM survey_results r JOIN areas a ON a.id = r.area_id WHERE r.wave_id = w.id AND ($1::text IS NULL OR r.indicator = $1)
               GROUP BY a.area_set_id ORDER BY count(*) DESC, a.area_set_id LIMIT 1) AS survey_set
       FROM survey_waves w ORDER BY w.year DESC, w.created_at DESC, w.id DESC`, [indicator ?? null]);
  return r.rows.filter((x) => x.survey_set !== null).map((x) => ({ ...toWave(x), surveySetId: x.survey_set }));
}

/** The waves an area set is served from: those reported for the set itself when there are any, else every wave. */
function wavesServing(all: SurveyWave[], areaSetId: string): SurveyWave[] {
  const own = all.filter((w) => w.surveySetId === areaSetId);
  return own.length ? own : all;
}

const previousOf = (all: SurveyWave[], wave: Wave, surveySetId: string) => all.find((w) => w.surveySetId === surveySetId && w.year < wave.year) ?? null;
const plain = (w: SurveyWave | null): Wave | null => (w ? { id: w.id, name: w.name, year: w.year, areaSetId: w.areaSetId } : null);
const rawOf = (x: RawResult): RawResult => ({ respondents: Number(x.respondents), value: Number(x.value), ci_low: x.ci_low === null ? null : Number(x.ci_low), ci_high: x.ci_high === null ? null : Number(x.ci_high) });

type ResultRow = RawResult & { wave_id: string; area_id: number; indicator: string; grp: string };

/** Raw results of a survey set's areas (or the given ones) for waves and (optionally) one indicator. */
async function rawResults(db: Queryable, surveySetId: string, waveIds: string[], indicator: string | null, areaIds: number[] | null): Promise<ResultRow[]> {
  const r = await db.query<ResultRow>(
    `SELECT r.wave_id, r.area_id, r.indicator, r.grp, r.respondents, r.value, r.ci_low, r.ci_high FROM survey_results r JOIN areas a ON a.id = r.area_id
     WHERE a.area_set_id = $1 AND r.wave_id = ANY($2) AND ($3::text IS NULL OR r.indicator = $3) AND ($4::bigint[] IS NULL OR r.area_id = ANY($4))`,
    [surveySetId, waveIds, indicator, areaIds]);
  return r.rows.map((x) => ({ ...rawOf(x), wave_id: x.wave_id, area_id: Number(x.area_id), indicator: x.indicator, grp: x.grp }));
}

/**
 * The figures of one area for an indicator and group by its basis: the area's own, the containing survey area's,
 * the pooled estimate over its strata, or nothing. `get` finds a survey area's raw result of a wave.
 */
function figureByBasis(basis: SurveyBasis, kind: 'share' | 'mean', wave: Wave, previousWave: Wave | null, indicator: string, group: string,
  get: (wave: string, area: number) => RawResult | undefined, hiddenIn: ReturnType<typeof suppressionFor>, opts: SurveyOptions): SurveyFigure {
  const hidden = (area: number) => ({ cur: hiddenIn(wave.id, area, indicator, group), prev: previousWave ? hiddenIn(previousWave.id, area, indicator, group) : null });
  if ((basis.kind === 'own' || basis.kind === 'containing') && basis.surveyArea) {
    const a = basis.surveyArea.areaId;
    return surveyFigure(kind, get(wave.id, a), previousWave ? get(previousWave.id, a) : undefined, opts, hidden(a));
  }
  if (basis.kind === 'pooled') {
    return pooledFigure(kind, basis.strata.map((s) => {
      const h = hidden(s.areaId);
      return { areaId: s.areaId, name: s.name, population: s.population, cur: get(wave.id, s.areaId), prev: previousWave ? get(previousWave.id, s.areaId) : undefined, curHidden: h.cur, prevHidden: h.prev };
    }), opts);
  }
  return surveyFigure(kind, undefined, undefined, opts);
}

export async function surveyResults(db: Queryable, q: { areaSetId: string; wave?: string; indicator: string; group?: string }, opts: SurveyOptions): Promise<SurveyResult> {
  const set = await db.query<{ id: string }>('SELECT id FROM area_sets WHERE id = $1', [q.areaSetId]);
  if (!set.rows.length) {
    throw unknownCode('areaSet', q.areaSetId, (await db.query<{ id: string }>('SELECT id FROM area_sets ORDER BY id')).rows.map((x) => x.id), { sv: 'områdesindelning', en: 'area set' });
  }
  const indicators = await listIndicators(db);
  const ind = indicators.find((i) => i.code === q.indicator);
  if (!ind) throw unknownCode('indicator', q.indicator, indicators.map((i) => i.code), { sv: 'enkätindikator', en: 'survey indicator' });
  const group = q.group ?? 'all';
  const all = await surveyWaves(db, q.indicator);
  const waves = wavesServing(all, q.areaSetId);
  let wave: Wave, surveySetId: string;
  if (q.wave) {
    const w = await waveById(db, q.wave);
    if (!w) throw unknownCode('wave', q.wave, (await listWaves(db)).map((x) => x.id), { sv: 'mätning', en: 'survey wave' });
    wave = w;
    surveySetId = all.find((x) => x.id === w.id)?.surveySetId ?? w.areaSetId ?? q.areaSetId;
  } else {
    const w = waves[0];
    if (!w) throw notFound(`No survey results for indicator "${q.indicator}". GET /api/survey/waves lists the waves and their area sets.`);
    wave = plain(w)!; surveySetId = w.surveySetId;
  }
  const previousWave = plain(previousOf(all, wave, surveySetId));
  // every group of the indicator: whether this group is shown depends on the others of its area (complementary suppression)
  const r = await rawResults(db, surveySetId, previousWave ? [wave.id, previousWave.id] : [wave.id], q.indicator, null);
  const hiddenIn = suppressionFor(r, opts);
  const groups = [...new Set(r.filter((x) => x.wave_id === wave.id).map((x) => x.grp))].sort();
  if (groups.length && !groups.includes(group)) throw unknownCode('group', group, sortGroups(groups), { sv: `grupp för mätningen ${wave.id}`, en: `group for wave ${wave.id}` });
  const byKey = new Map<string, RawResult>();
  for (const x of r) if (x.grp === group) byKey.set(`${x.wave_id}\u0000${x.area_id}`, x);
  const get = (w: string, a: number) => byKey.get(`${w}\u0000${a}`);
  const bases = await surveyBases(db, q.areaSetId, surveySetId, wave.year);
  const areas = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM areas WHERE area_set_id = $1 ORDER BY code, id', [q.areaSetId]);
  const rows = areas.rows.map((a) => {
    const basis = bases.get(Number(a.id))!;
    return { areaId: Number(a.id), code: a.code, name: a.name, ...figureByBasis(basis, ind.kind, wave, previousWave, q.indicator, group, get, hiddenIn, opts), basis };
  });
  const served = await surveyWaves(db);
  const allIndicators = (await db.query<{ indicator: string }>(
    `SELECT DISTINCT r.indicator FROM survey_results r JOIN areas a ON a.id = r.area_id WHERE a.area_set_id = $1 ORDER BY 1`, [surveySetId])).rows.map((x) => x.indicator);
  return {
    meta: { areaSetId: q.areaSetId, surveyAreaSetId: surveySetId, wave, previousWave, indicator: ind, group, minRespondents: opts.minRespondents, exact: opts.exact,
      waves: wavesServing(served, q.areaSetId).map((w) => plain(w)!), indicators: allIndicators, groups, method: SURVEY_METHOD, generatedAt: new Date().toISOString() },
    rows,
  };
}

const groupOrder = (g: string) => (g === 'all' ? '0' : g === 'female' ? '1' : g === 'male' ? '2' : `3${g.padStart(7, '0')}`);
/** all, female, male, then the age bands from the youngest: the order a list of groups is shown in. */
export const sortGroups = (gs: string[]) => {
  const key = (g: string) => (g === 'all' ? -3 : g === 'female' ? -2 : g === 'male' ? -1 : Number(/^\d+/.exec(g)?.[0] ?? 999));
  return [...gs].sort((a, b) => key(a) - key(b) || a.localeCompare(b));
};

/**
 * Every indicator × group of the latest wave for one area, with the previous wave (the profile, the lägesbild), by
 * the area's basis: its own results when it has any; else the newest wave whose survey areas contain it (borrowed,
 * named) or lie inside it (pooled); else not available (the basis says why).
 */
export async function areaSurvey(db: Queryable, areaId: number, opts: SurveyOptions): Promise<Omit<AreaSurvey, 'minRespondents'>> {
  const a = await db.query<{ id: number; name: string; area_set_id: string }>('SELECT id, name, area_set_id FROM areas WHERE id = $1', [areaId]);
  if (!a.rows.length) throw notFound(`No area ${areaId}. GET /api/area-sets/<set>/areas lists the areas and their ids.`);
  const area = a.rows[0];
  const all = await surveyWaves(db);
  // the survey sets to try, newest wave first: the area's own set when it was surveyed, else every other
  const own = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_results WHERE area_id = $1', [areaId])).rows[0].n > 0;
  const sets = [...new Set((own ? all.filter((w) => w.surveySetId === area.area_set_id) : all).map((w) => w.surveySetId))];
  let chosen: { wave: SurveyWave; basis: SurveyBasis } | null = null, fallback: SurveyBasis | null = null;
  for (const surveySetId of sets) {
    const setWaves = all.filter((w) => w.surveySetId === surveySetId);
    const basis = (await surveyBases(db, area.area_set_id, surveySetId, setWaves[0].year, [areaId])).get(areaId)!;
    if (basis.kind === 'not-available') { fallback ??= basis; continue; }
    // the newest wave with results for the areas the figures come from
    const from = basis.kind === 'pooled' ? basis.strata.map((s) => s.areaId) : [basis.surveyArea!.areaId];
    const has = await db.query<{ wave_id: string }>('SELECT DISTINCT wave_id FROM survey_results WHERE area_id = ANY($1)', [from]);
    const withData = new Set(has.rows.map((x) => x.wave_id));
    const wave = setWaves.find((w) => withData.has(w.id));
    if (!wave) continue;
    // the population of the wave's own year (surveyBases used the set's newest wave)
    chosen = { wave, basis: wave.year === setWaves[0].year ? basis : (await surveyBases(db, area.area_set_id, surveySetId, wave.year, [areaId])).get(areaId)! };
    break;
  }
  if (!chosen) return { wave: null, previousWave: null, basis: fallback ?? noSurveyBasis(area), items: [] };
  const { wave, basis } = chosen;
  const previousWave = plain(previousOf(all, wave, wave.surveySetId));
  const from = basis.kind === 'pooled' ? basis.strata.map((s) => s.areaId) : [basis.surveyArea!.areaId];
  const r = await rawResults(db, wave.surveySetId, previousWave ? [wave.id, previousWave.id] : [wave.id], null, from);
  const hiddenIn = suppressionFor(r, opts);
  const inds = new Map((await listIndicators(db)).map((i) => [i.code, i]));
  const key = (w: string, ar: number, i: string, g: string) => `${w}\u0000${ar}\u0000${i}\u0000${g}`;
  const byKey = new Map(r.map((x) => [key(x.wave_id, x.area_id, x.indicator, x.grp), x as RawResult]));
  const cells = [...new Set(r.filter((x) => x.wave_id === wave.id).map((x) => `${x.indicator}\u0000${x.grp}`))].map((k) => k.split('\u0000') as [string, string])
    .sort(([ia, ga], [ib, gb]) => ia.localeCompare(ib) || groupOrder(ga).localeCompare(groupOrder(gb)));
  const items = cells.map(([indicator, grp]) => {
    const ind = inds.get(indicator);
    const kind = ind?.kind ?? 'share';
    return { indicator, text: ind?.textSv ?? indicator, kind, direction: ind?.direction ?? 'higher-is-worse', group: grp,
      ...figureByBasis(basis, kind, wave, previousWave, indicator, grp, (w, ar) => byKey.get(key(w, ar, indicator, grp)), hiddenIn, opts) };
  });
  return { wave: plain(wave), previousWave, basis, items };
}
