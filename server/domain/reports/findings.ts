// Section 1: the few findings that matter, each with the figure it rests on and the test behind it. A change or a
// difference is called significant only when its test says so; otherwise the finding says so in plain words.
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { TEXTS, fill, fmtCount, fmtNumber } from './texts.js';
import type { ChangeFigure, Finding, LagesbildContent, SurveyGroup, SurveyIndicator } from './types.js';

type Draft = Omit<LagesbildContent, 'summary'>;

function changeVerdict(c: Draft, f: ChangeFigure): string {
  const t = TEXTS[c.lang];
  if (!f.changeSignificant) return t.noSigChange;
  return (f.ciLow ?? 0) > 1 ? t.sigIncrease : t.sigDecrease;
}

function changeFigure(c: Draft, f: ChangeFigure): string {
  const t = TEXTS[c.lang];
  if (f.rateRatio === null && f.ciLow === null) return t.findings.changeFigNA;
  return fill(t.findings.changeFig, {
    rr: f.rateRatio === null ? '∞' : fmtNumber(c.lang, f.rateRatio, 2),
    lo: fmtNumber(c.lang, f.ciLow, 2), hi: f.ciHigh === null ? '∞' : fmtNumber(c.lang, f.ciHigh, 2),
  });
}

const strength = (f: ChangeFigure) => (f.rateRatio && f.rateRatio > 0 ? Math.abs(Math.log(f.rateRatio)) : 0);

export function summaryFindings(c: Draft, max = 10): Finding[] {
  const t = TEXTS[c.lang];
  const k = c.viewer.suppressionK;
  const out: Finding[] = [];
  const has = (f: ChangeFigure) => f.suppressed || f.previousSuppressed || (f.count ?? 0) > 0 || (f.previousCount ?? 0) > 0;

  for (const s of c.scope.sources) {
    if (!has(s)) continue;
    out.push({
      key: `change:${s.source}`, significant: s.changeSignificant,
      text: fill(t.findings.change, { label: s.label, count: fmtCount(c.lang, s.count, s.suppressed, k), prev: fmtCount(c.lang, s.previousCount, s.previousSuppressed, k), verdict: changeVerdict(c, s) }),
      figure: changeFigure(c, s), test: t.findings.poisson,
    });
    if (s.source === 'crimes' && s.vsCity && s.city) {
      const v = s.vsCity;
      out.push({
        key: 'city:crimes', significant: v.significant,
        text: fill(t.findings.city, { label: s.label, verdict: !v.significant ? t.notDiffCity : v.rateRatio > 1 ? t.higherThanCity : t.lowerThanCity }),
        figure: fill(t.findings.cityFig, { rate: fmtNumber(c.lang, s.ratePer1000, 1), cityRate: fmtNumber(c.lang, s.city.ratePer1000, 1), rr: fmtNumber(c.lang, v.rateRatio, 2), lo: fmtNumber(c.lang, v.ciLow, 2), hi: fmtNumber(c.lang, v.ciHigh, 2) }),
        test: t.findings.binom,
      });
    }
  }

  // the crime groups whose change the test confirms, strongest first
  for (const g of c.scope.crimeGroups.filter((x) => x.changeSignificant).sort((a, b) => strength(b) - strength(a)).slice(0, 3)) {
    out.push({
      key: `group:${g.code}`, significant: true,
      text: fill(t.findings.group, { label: g.label, verdict: changeVerdict(c, g), count: fmtCount(c.lang, g.count, g.suppressed, k), prev: fmtCount(c.lang, g.previousCount, g.previousSuppressed, k) }),
      figure: changeFigure(c, g), test: t.findings.poisson,
    });
  }

  const hs = c.whereWhen.hotspots;
  if (hs) {
    out.push({
      key: 'hotspots', significant: hs.hot > 0,
      text: hs.hot > 0 ? fill(t.findings.hot, { n: hs.hot, cell: hs.cellSize }) : t.findings.noHot,
      figure: `${hs.hot} / ${hs.cells}`, test: fill(t.findings.hotFig, { alpha: fmtNumber(c.lang, hs.alpha, 2) }),
    });
  }

  // survey: the "all respondents" row of indicators whose change since the previous wave is significant, else the first
  const surveyRows = c.insecurity.indicators
    .map((i) => ({ i, g: i.groups.find((g) => g.group === 'all') ?? i.groups[0] }))
    .filter((x) => x.g && !x.g.suppressed && x.g.value !== null);
  const sigSurvey = surveyRows.filter((x) => x.g.differenceSignificant);
  const borrowedFrom = c.insecurity.basis?.kind === 'containing' ? c.insecurity.basis.surveyArea?.name ?? null : null;
  for (const { i, g } of (sigSurvey.length ? sigSurvey : surveyRows.slice(0, 1)).slice(0, 2)) {
    const pct = i.kind === 'share';
    const f = (v: number | null) => (v === null ? '–' : pct ? fmtNumber(c.lang, v, 0) : fmtNumber(c.lang, v, 1));
    const verdict = !g.differenceSignificant || g.previousValue === null || g.value === null ? t.noSigChange
      : g.value > g.previousValue ? t.findings.sigUp : t.findings.sigDown;
    out.push({
      key: `survey:${i.code}`, significant: g.differenceSignificant,
      // borrowed figures say whose they are: "Alla i Husby", never as the report area's own
      text: fill(t.findings.survey, { text: i.text, group: borrowedFrom ? `${g.label} ${c.lang === 'sv' ? 'i' : 'in'} ${borrowedFrom}` : g.label, value: f(g.value), unit: pct ? '%' : '', verdict }),
      figure: fill(t.findings.surveyFig, { lo: f(g.ciLow), hi: f(g.ciHigh), n: g.respondents ?? '–', prev: f(g.previousValue) }),
      test: t.findings.surveyTest,
    });
  }

  out.push(...surveyAboveCity(c, surveyRows, borrowedFrom));

  const d = c.insecurity.divergence;
  if (d && d.class) {
    out.push({
      key: 'divergence', significant: null,
      text: fill(t.findings.div, { text: t.divClass[d.class] ?? d.class }),
      figure: `z ${fmtNumber(c.lang, d.fearZ, 2)} / ${fmtNumber(c.lang, d.crimeZ, 2)}`, test: t.divNote,
    });
  }
  // at most `max`: when there are more, the findings a test confirmed are kept before the others (a significant survey
  // finding is not cut for a source without a certain change), shown in the order above
  const keep = new Set([...out.filter((f) => f.significant === true), ...out.filter((f) => f.significant !== true)].slice(0, max));
  return out.filter((f) => keep.has(f));
}

/**
 * Survey indicators where the area is worse than the rest of the city ("a survey indicator above the city"): the
 * share of all respondents against the others of the wave's areas the viewer may see (the city's respondent-weighted
 * value less this area's part; the whole city when that cannot be taken out), by the two-proportion z-test,
 * Bonferroni-corrected for the number of indicators compared — so reading several indicators does not make a
 * finding of chance. Only where the test says so; the worst (largest z) first, at most two.
 */
export function surveyAboveCity(c: Draft, rows: { i: SurveyIndicator; g: SurveyGroup }[], borrowedFrom: string | null): Finding[] {
  const t = TEXTS[c.lang];
  const comparable = rows.filter(({ i, g }) => i.kind === 'share' && g.value !== null && g.respondents && g.cityValue !== null && g.cityRespondents);
  const m = comparable.length;
  if (!m) return [];
  const alpha = 0.05 / m;
  const found: { f: Finding; z: number }[] = [];
  for (const { i, g } of comparable) {
    const p = g.value! / 100, n = g.respondents!, cityP = g.cityValue! / 100, cityN = g.cityRespondents!;
    // the rest of the city: the city's sum less this area's, when this area's respondents are among them
    const restN = cityN - n;
    const restP = restN > 0 ? (cityP * cityN - p * n) / restN : NaN;
    const [q, qn] = restN > 0 && restP >= 0 && restP <= 1 ? [restP, restN] : [cityP, cityN];
    const test = twoProportionTest(p, n, q, qn, alpha);
    if (!test?.significant) continue;
    const worse = i.direction === 'higher-is-better' ? test.z < 0 : test.z > 0;
    if (!worse) continue;
    const pct = (v: number) => fmtNumber(c.lang, v * 100, 0);
    found.push({
      z: Math.abs(test.z),
      f: {
        key: `survey-city:${i.code}`, significant: true,
        text: fill(t.findings.surveyCity, { text: i.text, group: borrowedFrom ? `${g.label} ${c.lang === 'sv' ? 'i' : 'in'} ${borrowedFrom}` : g.label,
          value: pct(p), city: pct(q), unit: '%', worse: test.z > 0 ? t.findings.surveyWorseHigh : t.findings.surveyWorseLow }),
        figure: fill(t.findings.surveyCityFig, { n, restN: qn, lo: fmtNumber(c.lang, g.ciLow, 0), hi: fmtNumber(c.lang, g.ciHigh, 0) }),
        test: fill(t.findings.surveyCityTest, { m, alpha: fmtNumber(c.lang, alpha, 3) }),
      },
    });
  }
  return found.sort((a, b) => b.z - a.z).slice(0, 2).map((x) => x.f);
}
