// Section 3, consequences and insecurity: the survey part of the area profile (areaSurvey: the latest wave, every
// indicator by sex and age band with its 95 % CI and respondents, the previous wave) at any area level — the area's
// own figures; the population-weighted estimate over the survey areas it contains; the figures of the one survey
// area it lies in, named as that area's; or none when survey areas overlap it only in part — with the basis in a
// note (survey/survey-basis.ts), and the divergence between insecurity and register crime from /api/divergence's
// function. Survey privacy is areaSurvey's (primary and complementary suppression, survey-suppression.ts; pooled
// figures leave hidden strata out, survey-pooling.ts); the city value is built from the figures the viewer may see.
import type { Disclosure } from '../disclosure/disclosure-control.js';
import type { Queryable } from '../../db/index.js';
import type { AreaProfile } from '../profile/area-profile.js';
import { divergence } from '../divergence/divergence.js';
import { suppressionFor } from '../survey/survey-results.js';
import { MIN_POOLED_COVERAGE } from '../survey/survey-pooling.js';
import type { AreaInfo } from './report-area.js';
import type { Divergence, Lang, LagesbildContent, SurveyGroup, SurveyIndicator } from './types.js';

type Q = { area: AreaInfo; from: string; to: string; exact: boolean; k: number; minRespondents: number; lang: Lang; disclosure: Disclosure };

function groupLabel(g: string, lang: Lang): string {
  const d: Record<string, string> = lang === 'sv' ? { all: 'Alla', female: 'Kvinnor', male: 'Män' } : { all: 'All', female: 'Women', male: 'Men' };
  return d[g] ?? (/^\d/.test(g) ? `${g} ${lang === 'sv' ? 'år' : 'years'}` : g);
}

/** Which strata the pooled figures leave out because their figure is hidden from the viewer, with the groups concerned. */
function omittedNote(survey: AreaProfile['survey'], q: Q): string | null {
  const byStratum = new Map<string, Set<string>>();
  for (const i of survey.items) for (const o of i.strataOmitted) {
    if (o.reason !== 'hidden') continue;
    byStratum.set(o.name, (byStratum.get(o.name) ?? new Set()).add(groupLabel(i.group, q.lang).toLowerCase()));
  }
  if (!byStratum.size) return null;
  const list = [...byStratum].sort(([a], [b]) => a.localeCompare(b, 'sv')).map(([name, groups]) => `${name} (${[...groups].join(', ')})`).join('; ');
  const pct = Math.round(MIN_POOLED_COVERAGE * 100);
  return q.lang === 'sv'
    ? `Ett områdes värde som inte visas (färre än ${q.minRespondents} svarande, eller dolt så att det inte kan räknas fram) vägs aldrig in i det sammanvägda värdet; `
      + `ett sammanvägt värde visas bara när de områden som vägs in har minst ${pct} % av folkmängden. Utelämnade: ${list}.`
    : `An area's value that is not shown (fewer than ${q.minRespondents} respondents, or hidden so that it cannot be worked out) is never pooled in; `
      + `a pooled value is shown only when the areas pooled hold at least ${pct} % of the population. Left out: ${list}.`;
}

export async function insecuritySection(db: Queryable, q: Q, survey: AreaProfile['survey'], note: (k: string, t: string) => void): Promise<LagesbildContent['insecurity']> {
  const basis = survey.basis;
  // how the figures were obtained, in words — always unless they are the area's own
  if (basis && basis.kind !== 'own') note('insecurity', basis.text[q.lang]);
  if (!survey.wave || !basis) return { wave: null, previousWave: null, basis, indicators: [], divergence: null };
  if (basis.kind === 'pooled') {
    const omitted = omittedNote(survey, q);
    if (omitted) note('insecurity', omitted);
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
        cityValue: r(city.get(`${ind.code}|${i.group}`)?.value ?? null), cityRespondents: city.get(`${ind.code}|${i.group}`)?.respondents ?? null,
      })),
    });
  }
  note('insecurity', q.lang === 'sv'
    ? 'Stadens värde är ett med antalet svarande viktat medelvärde av mätomgångens områden (i den publika versionen bara de värden som visas: inte de under svarsgränsen eller de som döljs för att de inte ska kunna räknas fram).'
    : 'The city value is the respondent-weighted mean of the wave\'s areas (in the public version only the values shown: not those below the respondent minimum or hidden so that they cannot be worked out).');

  // the divergence is scored among the areas of the set the figures belong to: the report area's own set when they are
  // its own or pooled for it, the survey area's set when they are borrowed
  const scored = basis.kind === 'containing' && basis.surveyArea
    ? { id: basis.surveyArea.areaId, areaSetId: basis.surveyAreaSetId ?? q.area.areaSetId }
    : { id: q.area.id, areaSetId: q.area.areaSetId };
  const div = await divergenceFor(db, q, wave, inds.rows, scored);
  return {
    wave: { id: wave.id, name: wave.name, year: wave.year },
    previousWave: survey.previousWave ? { id: survey.previousWave.id, name: survey.previousWave.name, year: survey.previousWave.year } : null,
    basis, indicators, divergence: div,
  };
}

/** Per indicator and group: the respondent-weighted mean over the wave's areas whose figure the viewer may see (at least two), and their respondents. */
async function cityValues(db: Queryable, waveId: string, q: Q): Promise<Map<string, { value: number; respondents: number }>> {
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
  return new Map([...sums].filter(([, e]) => e.n > 0 && e.areas > 1).map(([k, e]) => [k, { value: e.s / e.n, respondents: e.n }]));
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
