// Assembles the lägesbild content for one area and period from the other domains (statistics, survey, divergence,
// hotspots, places), in the viewer's privacy view: exact for analysts/admins, suppressed and rounded like the API
// for everyone else. The result is plain data (f=json), frozen as is in a saved report and rendered by render-html.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../../plugins/auth.js';
import type { Source } from '../../routes/shared-schemas.js';
import { addDays, previousPeriod, resolvePeriod } from '../period/resolve-period.js';
import { dataVersion } from '../rollup/refresh-area-day-counts.js';
import { summaryFindings } from './findings.js';
import { reportArea, type AreaInfo } from './report-area.js';
import { byCategory, crimeGroups, GUARD_INTERVENTIONS, SHOOTING_OUTCOMES, sourceFigure, type StatsCtx } from './section-scope.js';
import { sourceProvenance } from './section-sources.js';
import { emptyStaffText, type StaffText } from './staff-text.js';
import { TEXTS } from './texts.js';
import type { LagesbildContent, Lang, MapImage } from './types.js';
import { monthlySeries, weekdayHour } from './section-time.js';
import { insecuritySection } from './section-insecurity.js';
import { hotspotSection, type HotspotSection } from './section-hotspots.js';
import { placesSection } from './section-places.js';

export const REPORT_SOURCES: Source[] = ['crimes', 'shootings', 'guard-reports', 'citizen-reports'];

export type LagesbildQuery = { areaId: number; from?: string; to?: string; lang: Lang };
export type LagesbildOptions = {
  exact: boolean; k: number; surveyMinRespondents: number;
  /** who asks (places' goal status and evaluation apply their own role rules) */
  principal: Principal;
  staffText?: StaffText;
  /** renders the hotspot map image (real map screenshot or SVG fallback); omitted → no image */
  mapImage?: (area: AreaInfo, hot: HotspotSection | null, period: { from: string; to: string }) => Promise<MapImage>;
};

function trendStart(from: string): string {
  // the monthly trend covers the period and the two years before it, from the first of a month
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 2);
  d.setUTCDate(1);
  return d.toISOString().slice(0, 10);
}

export async function buildLagesbild(db: Queryable, q: LagesbildQuery, o: LagesbildOptions): Promise<LagesbildContent> {
  const t = TEXTS[q.lang];
  const area = await reportArea(db, q.areaId);
  const version = await dataVersion(db);
  const period = await resolvePeriod(db, 'crimes', q.from, q.to);
  const prev = previousPeriod(period);
  const ctx: StatsCtx = { db, areaSetId: area.areaSetId, areaId: area.id, from: period.from, to: period.to, exact: o.exact, k: o.k, lang: q.lang };
  const notes: Record<string, string[]> = {};
  const note = (key: string, text: string) => { (notes[key] ??= []).push(text); };

  const perSource = [];
  for (const s of REPORT_SOURCES) perSource.push(await sourceFigure(ctx, s));
  const crimes = perSource[0];
  const groups = await crimeGroups(ctx);
  const shootings = await byCategory(ctx, 'shootings', SHOOTING_OUTCOMES, shootingLabels(q.lang));
  const guards = await byCategory(ctx, 'guard-reports', GUARD_INTERVENTIONS, guardLabels(q.lang));
  const trendFrom = trendStart(period.from);
  const monthly = await monthlySeries(db, { areaId: area.id, areaSetId: area.areaSetId, from: trendFrom, to: period.to, exact: o.exact, k: o.k, lang: q.lang, sources: REPORT_SOURCES });

  const insecurity = await insecuritySection(db, { area, from: period.from, to: period.to, exact: o.exact, k: o.k, minRespondents: o.surveyMinRespondents, lang: q.lang }, note);
  const hot = await hotspotSection(db, { area, from: period.from, to: period.to, exact: o.exact, k: o.k, lang: q.lang }, note);
  const wh = await weekdayHour(db, { areaId: area.id, areaSetId: area.areaSetId, from: period.from, to: period.to, exact: o.exact, k: o.k, lang: q.lang, source: 'crimes' }, note);
  const places = await placesSection(db, { area, lang: q.lang, principal: o.principal, k: o.k, surveyMinRespondents: o.surveyMinRespondents }, note);
  const sources = [];
  for (const [i, s] of REPORT_SOURCES.entries()) {
    sources.push(await sourceProvenance(db, { areaId: area.id, source: s, from: period.from, to: period.to, exact: o.exact, k: o.k, lang: q.lang }, perSource[i].result));
  }
  const statsMeta = crimes.result.meta;
  if (statsMeta.populationSource === 'derived-from-basomraden') {
    note('scope', q.lang === 'sv'
      ? `Befolkningen för ${area.areaSetName} är härledd från basområdenas befolkning ${statsMeta.populationYear ?? ''} genom ytviktad överlappning.`
      : `The population of ${area.areaSetName} is derived from the basområden population ${statsMeta.populationYear ?? ''} by area-weighted overlap.`);
  }
  if (!o.exact && statsMeta.roundingBase) {
    note('scope', q.lang === 'sv'
      ? `Publicerade antal är avrundade till närmaste ${statsMeta.roundingBase}-tal, och takter och kvoter räknas på de avrundade talen — samma siffror som /api/stats visar.`
      : `Published counts are rounded to the nearest ${statsMeta.roundingBase}, and rates and ratios are computed from the rounded counts — the same figures /api/stats shows.`);
  }

  const map: MapImage = o.mapImage ? await o.mapImage(area, hot, { from: period.from, to: period.to })
    : { dataUri: null, kind: 'none', note: '', legend: hot?.legend ?? [] };

  const population = crimes.result.rows.find((r) => r.areaId === area.id)?.population ?? null;
  const draft: Omit<LagesbildContent, 'summary'> = {
    kind: 'lagesbild', schemaVersion: 1, lang: q.lang, generatedAt: new Date().toISOString(), dataVersion: version,
    viewer: { exact: o.exact, suppressionK: o.k, surveyMinRespondents: o.surveyMinRespondents },
    area: {
      id: area.id, code: area.code, name: area.name, areaSetId: area.areaSetId, areaSetName: area.areaSetName, level: area.level,
      population, populationYear: statsMeta.populationYear, areaKm2: area.areaKm2,
    },
    city: {
      id: area.kommun?.id ?? 0, name: area.kommun ? `${area.kommun.name} (${t.areaSet.toLowerCase()}: ${area.areaSetName})` : crimes.result.total.name,
      areaSetId: area.areaSetId, population: crimes.result.total.population,
    },
    period: { from: period.from, to: period.to, lastDay: addDays(period.to, -1), days: period.days, previous: { from: prev.from, to: prev.to }, trendFrom },
    scope: { sources: perSource.map((p) => p.fig), crimeGroups: groups, monthly, shootingsByOutcome: shootings, guardByType: guards },
    insecurity,
    whereWhen: { map, hotspots: hot?.summary ?? null, weekdayHour: wh, topPlaces: hot?.topPlaces ?? [] },
    places, sources,
    staff: o.staffText ?? emptyStaffText(),
    notes,
  };
  return { ...draft, summary: summaryFindings(draft) };
}

function shootingLabels(lang: Lang): Record<string, string> {
  return lang === 'sv' ? { killed: 'Dödade', injured: 'Skadade', none: 'Ingen skadad', unknown: 'Okänt utfall' }
    : { killed: 'Killed', injured: 'Injured', none: 'Nobody hurt', unknown: 'Unknown outcome' };
}

function guardLabels(lang: Lang): Record<string, string> {
  return lang === 'sv'
    ? { avvisning: 'Avvisning', avlagsnande: 'Avlägsnande', omhandertagande: 'Omhändertagande', lob: 'Omhändertagande enligt LOB', gripande: 'Gripande', rapport: 'Rapport', annan: 'Annan åtgärd' }
    : { avvisning: 'Turned away (avvisning)', avlagsnande: 'Removal (avlägsnande)', omhandertagande: 'Taken into custody', lob: 'Custody for intoxication (LOB)', gripande: 'Arrest', rapport: 'Report', annan: 'Other' };
}
