// Section 3, consequences and insecurity: the survey part of the area profile (areaSurvey: the latest wave for the
// area, every indicator by sex and age band with its 95 % CI and respondents, the previous wave) — or, when the survey
// was run on a coarser division, the same for the area that contains it (said in a note) — and the divergence
// between insecurity and register crime from /api/divergence's function. Survey privacy is areaSurvey's (primary and
// complementary suppression, survey-suppression.ts); the city value is built from the figures the viewer may see.
import type { Disclosure } from '../disclosure/disclosure-control.js';
import type { Queryable } from '../../db/index.js';
import type { AreaProfile } from '../profile/area-profile.js';
import { divergence } from '../divergence/divergence.js';
import { areaSurvey, suppressionFor } from '../survey/survey-results.js';
import type { AreaInfo } from './report-area.js';
import type { Divergence, Lang, LagesbildContent, SurveyGroup, SurveyIndicator } from './types.js';

type Q = { area: AreaInfo; from: string; to: string; exact: boolean; k: number; minRespondents: number; lang: Lang; disclosure: Disclosure };

function groupLabel(g: string, lang: Lang): string {
  const d: Record<string, string> = lang === 'sv' ? { all: 'Alla', female: 'Kvinnor', male: 'Män' } : { all: 'All', female: 'Women', male: 'Men' };
  return d[g] ?? (/^\d/.test(g) ? `${g} ${lang === 'sv' ? 'år' : 'years'}` : g);
}

/** The smallest other area with survey results that contains the report area's interior point. */
async function containingSurveyArea(db: Queryable, areaId: number): Promise<{ id: number; name: string; areaSetId: string } | null> {
  const r = await db.query<{ id: number; name: string; area_set_id: string }>(
    `SELECT a.id, a.name, a.area_set_id FROM areas a, (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) x
     WHERE a.id <> $1 AND a.geom && x.p AND ST_Intersects(a.geom, x.p) AND EXISTS (SELECT 1 FROM survey_results s WHERE s.area_id = a.id)
     ORDER BY a.area_m2 ASC LIMIT 1`, [areaId]);
  return r.rows.length ? { id: Number(r.rows[0].id), name: r.rows[0].name, areaSetId: r.rows[0].area_set_id } : null;
}

export async function insecuritySection(db: Queryable, q: Q, profileSurvey: AreaProfile['survey'], note: (k: string, t: string) => void): Promise<LagesbildContent['insecurity']> {
  let survey = profileSurvey;
  let surveyArea = { id: q.area.id, name: q.area.name, areaSetId: q.area.areaSetId };
  if (!survey.wave) {
    const outer = await containingSurveyArea(db, q.area.id);
    if (!outer) return { wave: null, previousWave: null, indicators: [], divergence: null };
    survey = { ...(await areaSurvey(db, outer.id, { exact: q.exact, minRespondents: q.minRespondents })), minRespondents: q.minRespondents };
    surveyArea = outer;
    note('insecurity', q.lang === 'sv'
      ? `Trygghetsmätningen redovisas inte för ${q.area.name}; värdena avser ${outer.name}, som området ligger i.`
      : `The safety survey is not reported for ${q.area.name}; the values are for ${outer.name}, which contains it.`);
  }
  const wave = survey.wave!;
  const inds = await db.query<{ code: string; text_sv: string; text_en: string; kind: 'share' | 'mean'; direction: string }>(
    'SELECT code, text_sv, text_en, kind, direction FROM survey_indicators ORDER BY code');
  const city = await cityValues(db, wave.id, q);
  const indicators: SurveyIndicator[] = [];
  for (const ind of inds.rows) {
    const items = survey.items.filter((i) => i.indicator === ind.code);
    if (!items.length) continue;
    // shares are 0..1 in the data: the report shows per cent
    const scale = ind.kind === 'share' ? 100 : 1;
    const r = (v: number | null) => (v === null ? null : Math.round(v * scale * 10) / 10);
    indicators.push({
      code: ind.code, text: q.lang === 'sv' ? ind.text_sv : ind.text_en, kind: ind.kind, direction: ind.direction,
      groups: items.map((i): SurveyGroup => ({
        group: i.group, label: groupLabel(i.group, q.lang), value: r(i.value), ciLow: r(i.ciLow), ciHigh: r(i.ciHigh), respondents: i.respondents,
        previousValue: r(i.previousWaveValue), differenceSignificant: i.differenceSignificant === true, suppressed: i.suppressed, suppression: i.suppression,
        cityValue: r(city.get(`${ind.code}|${i.group}`) ?? null),
      })),
    });
  }
  note('insecurity', q.lang === 'sv'
    ? 'Stadens värde är ett med antalet svarande viktat medelvärde av mätomgångens områden (i den publika versionen bara de värden som visas: inte de under svarsgränsen eller de som döljs för att de inte ska kunna räknas fram).'
    : 'The city value is the respondent-weighted mean of the wave\'s areas (in the public version only the values shown: not those below the respondent minimum or hidden so that they cannot be worked out).');

  const div = await divergenceFor(db, q, wave, inds.rows, surveyArea);
  return {
    wave: { id: wave.id, name: wave.name, year: wave.year },
    previousWave: survey.previousWave ? { id: survey.previousWave.id, name: survey.previousWave.name, year: survey.previousWave.year } : null,
    indicators, divergence: div,
  };
}

/** Per indicator and group: the respondent-weighted mean over the wave's areas whose figure the viewer may see (at least two). */
async function cityValues(db: Queryable, waveId: string, q: Q): Promise<Map<string, number>> {
  const r = await db.query<{ wave_id: string; area_id: number; indicator: string; grp: string; respondents: number; value: number }>(
    'SELECT wave_id, area_id, indicator, grp, respondents, value FROM survey_results WHERE wave_id = $1', [waveId]);
  const hidden = suppressionFor(r.rows, { exact: q.exact, minRespondents: q.minRespondents });
  const sums = new Map<string, { s: number; n: number; areas: number }>();
  for (const x of r.rows) {
    const n = Number(x.respondents);
    if (!q.exact && (n < q.minRespondents || hidden(x.wave_id, Number(x.area_id), x.indicator, x.grp) !== null)) continue;
    const k = `${x.indicator}|${x.grp}`, e = sums.get(k) ?? { s: 0, n: 0, areas: 0 };
    e.s += Number(x.value) * n; e.n += n; e.areas++;
    sums.set(k, e);
  }
  return new Map([...sums].filter(([, e]) => e.n > 0 && e.areas > 1).map(([k, e]) => [k, e.s / e.n]));
}

/** The first higher-is-worse indicator against crimes per 1,000, over the survey area's set (GET /api/divergence). */
async function divergenceFor(db: Queryable, q: Q, wave: { id: string; areaSetId: string | null }, inds: { code: string; text_sv: string; text_en: string; direction: string }[], surveyArea: { id: number; areaSetId: string }): Promise<Divergence> {
  const ind = inds.find((i) => i.direction === 'higher-is-worse') ?? inds[0];
  if (!ind) return null;
  try {
    const d = await divergence(db, { areaSetId: surveyArea.areaSetId, wave: wave.id, indicator: ind.code, source: 'crimes', from: q.from, to: q.to },
      { disclosure: q.disclosure, surveyMinRespondents: q.minRespondents });
    const row = d.rows.find((r) => r.areaId === surveyArea.id);
    if (!row || row.class === null) return null;
    return {
      indicator: ind.code, indicatorText: q.lang === 'sv' ? ind.text_sv : ind.text_en, wave: wave.id, fearZ: row.zFear, crimeZ: row.zCrime, class: row.class,
      note: q.lang === 'sv'
        ? `Jämfört över ${d.meta.areasScored} områden i samma indelning som trygghetsmätningen; en skillnad över ${d.meta.threshold} standardavvikelse räknas som avvikelse.`
        : `Compared over ${d.meta.areasScored} areas of the survey's own area set; a gap above ${d.meta.threshold} standard deviation counts as a divergence.`,
    };
  } catch {
    return null;
  }
}
