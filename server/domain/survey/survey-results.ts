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
import type { Queryable } from '../../db/index.js';
import { invalid, notFound } from '../problems.js';
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { wilsonInterval } from '../statistics/wilson.js';
import { surveySuppression, type SuppressionReason } from './survey-suppression.js';
import type { AreaSurveyItem, Indicator, SurveyFigure, SurveyResult, SurveyRow, Wave, WaveSummary } from './survey-schema.js';

export type SurveyOptions = { exact: boolean; minRespondents: number };
// the answers' shapes: one zod schema each (survey-schema.ts), the types derived from them
export type { AreaSurveyItem, Indicator, SurveyFigure, SurveyResult, SurveyRow, Wave, WaveSummary };
/** Why the current and the previous wave's figure of a group are hidden from a non-exact viewer (null: shown). */
export type FigureSuppression = { cur: SuppressionReason | null; prev: SuppressionReason | null };

type RawResult = { respondents: number; value: number; ci_low: number | null; ci_high: number | null };

export async function listIndicators(db: Queryable): Promise<Indicator[]> {
  const r = await db.query<{ code: string; text_sv: string; text_en: string; kind: 'share' | 'mean'; direction: Indicator['direction'] }>(
    'SELECT code, text_sv, text_en, kind, direction FROM survey_indicators ORDER BY code');
  return r.rows.map((x) => ({ code: x.code, textSv: x.text_sv, textEn: x.text_en, kind: x.kind, direction: x.direction }));
}

export async function listWaves(db: Queryable): Promise<WaveSummary[]> {
  const r = await db.query<{ id: string; name: string; year: number; area_set_id: string | null; indicators: string[] | null; areas: number }>(
    `SELECT w.id, w.name, w.year, w.area_set_id,
            (SELECT array_agg(DISTINCT indicator ORDER BY indicator) FROM survey_results r WHERE r.wave_id = w.id) AS indicators,
            (SELECT count(DISTINCT area_id)::int FROM survey_results r WHERE r.wave_id = w.id) AS areas
     FROM survey_waves w ORDER BY w.year DESC, w.id`);
  return r.rows.map((x) => ({ id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id, indicators: x.indicators ?? [], areas: Number(x.areas) }));
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
      differenceSignificant: null, suppressed: false, suppression: null, lowRespondents: false };
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
    differenceSignificant: diff, suppressed: !show, suppression, lowRespondents: low,
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
  'a hidden group shows no value, CI or respondents.';

async function waveById(db: Queryable, id: string): Promise<Wave | null> {
  const r = await db.query<{ id: string; name: string; year: number; area_set_id: string | null }>('SELECT id, name, year, area_set_id FROM survey_waves WHERE id = $1', [id]);
  const x = r.rows[0];
  return x ? { id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id } : null;
}

/** The waves with results for an indicator in a set, newest first. */
async function wavesFor(db: Queryable, areaSetId: string, indicator?: string): Promise<Wave[]> {
  const r = await db.query<{ id: string; name: string; year: number; area_set_id: string | null }>(
    `SELECT w.id, w.name, w.year, w.area_set_id FROM survey_waves w
     WHERE EXISTS (SELECT 1 FROM survey_results r JOIN areas a ON a.id = r.area_id WHERE r.wave_id = w.id AND a.area_set_id = $1 AND ($2::text IS NULL OR r.indicator = $2))
     ORDER BY w.year DESC, w.created_at DESC, w.id DESC`, [areaSetId, indicator ?? null]);
  return r.rows.map((x) => ({ id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id }));
}

export async function surveyResults(db: Queryable, q: { areaSetId: string; wave?: string; indicator: string; group?: string }, opts: SurveyOptions): Promise<SurveyResult> {
  const set = await db.query<{ id: string }>('SELECT id FROM area_sets WHERE id = $1', [q.areaSetId]);
  if (!set.rows.length) throw notFound(`No area set "${q.areaSetId}". GET /api/area-sets lists them.`);
  const ind = (await listIndicators(db)).find((i) => i.code === q.indicator);
  if (!ind) throw notFound(`No survey indicator "${q.indicator}". GET /api/survey/indicators lists them.`);
  const group = q.group ?? 'all';
  const waves = await wavesFor(db, q.areaSetId, q.indicator);
  let wave: Wave | null;
  if (q.wave) {
    wave = await waveById(db, q.wave);
    if (!wave) throw notFound(`No survey wave "${q.wave}". GET /api/survey/waves lists them.`);
  } else {
    wave = waves[0] ?? null;
    if (!wave) throw notFound(`No survey results for indicator "${q.indicator}" in area set "${q.areaSetId}". GET /api/survey/waves lists the waves and their area sets.`);
  }
  const previousWave = waves.find((w) => w.year < wave!.year) ?? null;
  const ids = previousWave ? [wave.id, previousWave.id] : [wave.id];
  // every group of the indicator: whether this group is shown depends on the others of its area (complementary suppression)
  const r = await db.query<RawResult & { wave_id: string; area_id: number; grp: string }>(
    `SELECT r.wave_id, r.area_id, r.grp, r.respondents, r.value, r.ci_low, r.ci_high FROM survey_results r JOIN areas a ON a.id = r.area_id
     WHERE a.area_set_id = $1 AND r.indicator = $2 AND r.wave_id = ANY($3)`, [q.areaSetId, q.indicator, ids]);
  const hiddenIn = suppressionFor(r.rows.map((x) => ({ ...x, indicator: q.indicator })), opts);
  const groupsR = await db.query<{ grp: string }>(
    `SELECT DISTINCT r.grp FROM survey_results r JOIN areas a ON a.id = r.area_id WHERE a.area_set_id = $1 AND r.indicator = $2 AND r.wave_id = $3 ORDER BY 1`, [q.areaSetId, q.indicator, wave.id]);
  const groups = groupsR.rows.map((g) => g.grp);
  if (groups.length && !groups.includes(group)) throw invalid(`No results for group "${group}" in wave ${wave.id}; groups: ${groups.join(', ')}.`, [{ field: 'group', message: 'unknown group' }]);
  const cur = new Map<number, RawResult>(), prev = new Map<number, RawResult>();
  for (const x of r.rows) if (x.grp === group) (x.wave_id === wave.id ? cur : prev).set(Number(x.area_id), { respondents: Number(x.respondents), value: Number(x.value), ci_low: x.ci_low, ci_high: x.ci_high });
  const areas = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM areas WHERE area_set_id = $1 ORDER BY code, id', [q.areaSetId]);
  const rows = areas.rows.map((a) => ({ areaId: Number(a.id), code: a.code, name: a.name, ...surveyFigure(ind.kind, cur.get(Number(a.id)), prev.get(Number(a.id)), opts,
    { cur: hiddenIn(wave!.id, Number(a.id), q.indicator, group), prev: previousWave ? hiddenIn(previousWave.id, Number(a.id), q.indicator, group) : null }) }));
  const allIndicators = (await db.query<{ indicator: string }>(
    `SELECT DISTINCT r.indicator FROM survey_results r JOIN areas a ON a.id = r.area_id WHERE a.area_set_id = $1 ORDER BY 1`, [q.areaSetId])).rows.map((x) => x.indicator);
  return {
    meta: { areaSetId: q.areaSetId, wave, previousWave, indicator: ind, group, minRespondents: opts.minRespondents, exact: opts.exact,
      waves: await wavesFor(db, q.areaSetId), indicators: allIndicators, groups, method: SURVEY_METHOD, generatedAt: new Date().toISOString() },
    rows,
  };
}

/** Every indicator × group of the latest wave with results for one area, with the previous wave (the profile). */
export async function areaSurvey(db: Queryable, areaId: number, opts: SurveyOptions): Promise<{ wave: Wave | null; previousWave: Wave | null; items: AreaSurveyItem[] }> {
  const w = await db.query<{ id: string; name: string; year: number; area_set_id: string | null }>(
    `SELECT w.id, w.name, w.year, w.area_set_id FROM survey_waves w WHERE EXISTS (SELECT 1 FROM survey_results r WHERE r.wave_id = w.id AND r.area_id = $1)
     ORDER BY w.year DESC, w.created_at DESC, w.id DESC`, [areaId]);
  const waves = w.rows.map((x) => ({ id: x.id, name: x.name, year: Number(x.year), areaSetId: x.area_set_id }));
  const wave = waves[0] ?? null;
  if (!wave) return { wave: null, previousWave: null, items: [] };
  const previousWave = waves.find((x) => x.year < wave.year) ?? null;
  const r = await db.query<RawResult & { wave_id: string; indicator: string; grp: string }>(
    `SELECT wave_id, indicator, grp, respondents, value, ci_low, ci_high FROM survey_results WHERE area_id = $1 AND wave_id = ANY($2)`,
    [areaId, previousWave ? [wave.id, previousWave.id] : [wave.id]]);
  const hiddenIn = suppressionFor(r.rows.map((x) => ({ ...x, area_id: areaId })), opts);
  const inds = new Map((await listIndicators(db)).map((i) => [i.code, i]));
  const key = (i: string, g: string) => `${i}\u0000${g}`;
  const prev = new Map<string, RawResult>();
  for (const x of r.rows) if (x.wave_id !== wave.id) prev.set(key(x.indicator, x.grp), x);
  const groupOrder = (g: string) => (g === 'all' ? '0' : g === 'female' ? '1' : g === 'male' ? '2' : `3${g.padStart(7, '0')}`);
  const items = r.rows.filter((x) => x.wave_id === wave.id)
    .sort((a, b) => a.indicator.localeCompare(b.indicator) || groupOrder(a.grp).localeCompare(groupOrder(b.grp)))
    .map((x) => {
      const ind = inds.get(x.indicator);
      const raw = { respondents: Number(x.respondents), value: Number(x.value), ci_low: x.ci_low, ci_high: x.ci_high };
      const p = prev.get(key(x.indicator, x.grp));
      return { indicator: x.indicator, text: ind?.textSv ?? x.indicator, kind: ind?.kind ?? 'share', direction: ind?.direction ?? 'higher-is-worse', group: x.grp,
        ...surveyFigure(ind?.kind ?? 'share', raw, p ? { respondents: Number(p.respondents), value: Number(p.value), ci_low: p.ci_low, ci_high: p.ci_high } : undefined, opts,
          { cur: hiddenIn(wave.id, areaId, x.indicator, x.grp), prev: previousWave ? hiddenIn(previousWave.id, areaId, x.indicator, x.grp) : null }) };
    });
  return { wave, previousWave, items };
}
