// Section 3, consequences and insecurity: the latest safety-survey wave for the area (or, when the survey was run on
// a coarser division, for the area that contains it — said in a note), every indicator by sex and age band with
// its 95 % CI and respondents, the previous wave, and the divergence between insecurity and register crime.
import type { Queryable } from '../../db/index.js';
import { areaStats } from '../stats/area-stats.js';
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { wilsonInterval } from '../statistics/wilson.js';
import { zScores } from '../statistics/z-scores.js';
import type { AreaInfo } from './report-area.js';
import type { Divergence, Lang, LagesbildContent, SurveyGroup, SurveyIndicator } from './types.js';

type Q = { area: AreaInfo; from: string; to: string; exact: boolean; k: number; minRespondents: number; lang: Lang };
type Wave = { id: string; name: string; year: number };
type ResultRow = { wave_id: string; area_id: number; indicator: string; grp: string; respondents: number; value: number; ci_low: number | null; ci_high: number | null };

const GROUP_ORDER = ['all', 'female', 'male'];

function groupLabel(g: string, lang: Lang): string {
  const sv: Record<string, string> = { all: 'Alla', female: 'Kvinnor', male: 'Män' };
  const en: Record<string, string> = { all: 'All', female: 'Women', male: 'Men' };
  const d = lang === 'sv' ? sv : en;
  return d[g] ?? (/^\d/.test(g) ? `${g} ${lang === 'sv' ? 'år' : 'years'}` : g);
}

/** The area whose survey results describe the report area: itself, else the smallest area with results containing it. */
async function surveyArea(db: Queryable, areaId: number): Promise<{ id: number; name: string } | null> {
  const r = await db.query<{ id: number; name: string }>(
    `SELECT a.id, a.name FROM areas a, (SELECT geom, ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) x
     WHERE (a.id = $1 OR (a.geom && x.p AND ST_Intersects(a.geom, x.p)))
       AND EXISTS (SELECT 1 FROM survey_results s WHERE s.area_id = a.id)
     ORDER BY (a.id = $1) DESC, a.area_m2 ASC LIMIT 1`, [areaId]);
  return r.rows.length ? { id: Number(r.rows[0].id), name: r.rows[0].name } : null;
}

export async function insecuritySection(db: Queryable, q: Q, note: (k: string, t: string) => void): Promise<LagesbildContent['insecurity']> {
  const empty = { wave: null, previousWave: null, indicators: [], divergence: null };
  const sa = await surveyArea(db, q.area.id);
  if (!sa) return empty;
  if (sa.id !== q.area.id) {
    note('insecurity', q.lang === 'sv'
      ? `Trygghetsmätningen redovisas inte för ${q.area.name}; värdena avser ${sa.name}, som området ligger i.`
      : `The safety survey is not reported for ${q.area.name}; the values are for ${sa.name}, which contains it.`);
  }
  const waves = await db.query<Wave & { area_set_id: string | null }>(
    `SELECT w.id, w.name, w.year, w.area_set_id FROM survey_waves w WHERE EXISTS (SELECT 1 FROM survey_results s WHERE s.wave_id = w.id AND s.area_id = $1)
     ORDER BY w.year DESC, w.id DESC LIMIT 2`, [sa.id]);
  if (!waves.rows.length) return empty;
  const wave = waves.rows[0], prevWave = waves.rows[1] ?? null;
  const inds = await db.query<{ code: string; text_sv: string; text_en: string; kind: 'share' | 'mean'; direction: string }>(
    `SELECT code, text_sv, text_en, kind, direction FROM survey_indicators WHERE code IN (SELECT DISTINCT indicator FROM survey_results WHERE wave_id = $1 AND area_id = $2) ORDER BY code`,
    [wave.id, sa.id]);
  const rows = await db.query<ResultRow>(
    `SELECT wave_id, area_id, indicator, grp, respondents, value, ci_low, ci_high FROM survey_results WHERE wave_id = ANY($1)`,
    [[wave.id, ...(prevWave ? [prevWave.id] : [])]]);
  const all = rows.rows.map((r) => ({ ...r, area_id: Number(r.area_id), respondents: Number(r.respondents), value: Number(r.value) }));
  // shares may be given as 0..1 or as per cent: the report shows per cent
  const percentScale = (ind: string) => (all.some((r) => r.indicator === ind && r.value > 1) ? 1 : 100);

  const indicators: SurveyIndicator[] = inds.rows.map((ind) => {
    const scale = ind.kind === 'share' ? percentScale(ind.code) : 1;
    const mine = all.filter((r) => r.wave_id === wave.id && r.area_id === sa.id && r.indicator === ind.code);
    const groups = [...new Set(mine.map((r) => r.grp))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return {
      code: ind.code, text: q.lang === 'sv' ? ind.text_sv : ind.text_en, kind: ind.kind, direction: ind.direction,
      groups: groups.map((g): SurveyGroup => {
        const cur = mine.find((r) => r.grp === g)!;
        const prev = prevWave ? all.find((r) => r.wave_id === prevWave.id && r.area_id === sa.id && r.indicator === ind.code && r.grp === g) ?? null : null;
        const cityRows = all.filter((r) => r.wave_id === wave.id && r.indicator === ind.code && r.grp === g);
        const cityN = cityRows.reduce((s, r) => s + r.respondents, 0);
        const city = cityRows.length > 1 && cityN > 0 ? cityRows.reduce((s, r) => s + r.value * r.respondents, 0) / cityN : null;
        const hide = !q.exact && cur.respondents < q.minRespondents;
        const prevHidden = prev !== null && !q.exact && prev.respondents < q.minRespondents;
        const ci = interval(ind.kind, cur, scale);
        const sig = !hide && prev && !prevHidden ? different(ind.kind, cur, prev, scale) : false;
        const r1 = (v: number | null) => (v === null ? null : Math.round(v * scale * 10) / 10);
        return {
          group: g, label: groupLabel(g, q.lang),
          value: hide ? null : r1(cur.value), ciLow: hide ? null : r1(ci.low), ciHigh: hide ? null : r1(ci.high),
          respondents: cur.respondents, previousValue: prev && !prevHidden ? r1(prev.value) : null,
          differenceSignificant: sig, suppressed: hide, cityValue: r1(city),
        };
      }),
    };
  });
  note('insecurity', q.lang === 'sv' ? 'Stadens värde är ett med antalet svarande viktat medelvärde av mätomgångens områden.' : 'The city value is the respondent-weighted mean of the wave\'s areas.');

  const divergence = await divergenceFor(db, q, wave, inds.rows, all, sa.id);
  return { wave: { id: wave.id, name: wave.name, year: Number(wave.year) }, previousWave: prevWave ? { id: prevWave.id, name: prevWave.name, year: Number(prevWave.year) } : null, indicators, divergence };
}

const rank = (g: string) => { const i = GROUP_ORDER.indexOf(g); return i < 0 ? 10 : i; };

function interval(kind: string, r: ResultRow, scale: number): { low: number | null; high: number | null } {
  if (r.ci_low !== null && r.ci_high !== null) return { low: Number(r.ci_low), high: Number(r.ci_high) };
  if (kind === 'share') {
    const w = wilsonInterval(Number(r.value) / (scale === 1 ? 100 : 1), Number(r.respondents));
    return w ? { low: w.low * (scale === 1 ? 100 : 1), high: w.high * (scale === 1 ? 100 : 1) } : { low: null, high: null };
  }
  return { low: null, high: null };
}

/** Share: two-proportion z test; mean: the difference against the SEs implied by the 95 % CIs. */
function different(kind: string, a: ResultRow, b: ResultRow, scale: number): boolean {
  if (kind === 'share') {
    const f = scale === 1 ? 100 : 1;
    return twoProportionTest(Number(a.value) / f, Number(a.respondents), Number(b.value) / f, Number(b.respondents))?.significant ?? false;
  }
  if (a.ci_low === null || a.ci_high === null || b.ci_low === null || b.ci_high === null) return false;
  const se = (r: ResultRow) => (Number(r.ci_high) - Number(r.ci_low)) / (2 * 1.96);
  const z = (Number(a.value) - Number(b.value)) / Math.sqrt(se(a) ** 2 + se(b) ** 2);
  return Math.abs(z) > 1.96;
}

/**
 * Insecurity vs register crime across the areas of the wave's division: the first higher-is-worse indicator (all
 * respondents) and crimes per 1,000 in the report period, both as z-scores over those areas; a gap of more than one
 * standard deviation classes the area as fear-above-crime or crime-above-fear, otherwise aligned.
 */
async function divergenceFor(db: Queryable, q: Q, wave: Wave & { area_set_id: string | null }, inds: { code: string; text_sv: string; text_en: string; direction: string }[], all: ResultRow[], surveyAreaId: number): Promise<Divergence> {
  const ind = inds.find((i) => i.direction === 'higher-is-worse');
  if (!ind) return null;
  const setR = await db.query<{ area_set_id: string }>('SELECT area_set_id FROM areas WHERE id = $1', [surveyAreaId]);
  const setId = wave.area_set_id ?? setR.rows[0]?.area_set_id;
  if (!setId) return null;
  const stats = await areaStats(db, { areaSetId: setId, source: 'crimes', from: q.from, to: q.to }, { exact: q.exact, k: q.k });
  const fearBy = new Map(all.filter((r) => r.wave_id === wave.id && r.indicator === ind.code && r.grp === 'all' && (q.exact || r.respondents >= q.minRespondents)).map((r) => [r.area_id, Number(r.value)]));
  const rows = stats.rows.filter((r) => fearBy.has(r.areaId) && r.ratePer1000 !== null);
  if (rows.length < 3) return null;
  const fz = zScores(rows.map((r) => fearBy.get(r.areaId)!));
  const cz = zScores(rows.map((r) => r.ratePer1000));
  const i = rows.findIndex((r) => r.areaId === surveyAreaId);
  if (i < 0 || fz[i] === null || cz[i] === null) return null;
  const gap = fz[i]! - cz[i]!;
  const cls = gap > 1 ? 'fear-above-crime' : gap < -1 ? 'crime-above-fear' : 'aligned';
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    indicator: ind.code, indicatorText: q.lang === 'sv' ? ind.text_sv : ind.text_en, wave: wave.id,
    fearZ: r2(fz[i]!), crimeZ: r2(cz[i]!), class: cls,
    note: q.lang === 'sv' ? `Jämfört över ${rows.length} områden; skillnad över en standardavvikelse räknas som avvikelse.` : `Compared over ${rows.length} areas; a gap above one standard deviation counts as a divergence.`,
  };
}
