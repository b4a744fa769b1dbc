// Assembles the lägesbild content for one area and period from the other domains (statistics, survey, divergence,
// hotspots, places), in the viewer's disclosure control (exact for analysts/admins, the public view like the API for
// everyone else: the same period grid and the same protected figures). The result is plain data (f=json), frozen as is in a saved report and rendered by render-html.
// Aggregated counts (import kind area-counts) are their own part (`aggregated`, section-aggregated.ts): every other
// section counts events, and the two are never added together.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import type { Source } from '../../../shared/sources.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { resolvePeriod } from '../period/resolve-period.js';
import { comparisonFor, labelled } from '../period/comparison.js';
import { readDataVersion } from '../data-version/data-version.js';
import { summaryFindings } from './findings.js';
import { reportArea, type AreaInfo } from './report-area.js';
import { byCategory, crimeGroups, GUARD_INTERVENTIONS, SHOOTING_OUTCOMES, sourceFigure, statsFor, type StatsCtx } from './section-scope.js';
import { areaProfile, type SourceProfile } from '../profile/area-profile.js';
import { weekdayHourMatrix } from '../profile/weekday-hour.js';
import { unplacedGeometry } from '../area-stats/unplaced.js';
import type { AreaStatsResult } from '../area-stats/area-stats.js';
import { sourceProvenance } from './section-sources.js';
import { emptyStaffText, type StaffText } from './staff-text.js';
import { TEXTS } from './texts.js';
import type { LagesbildContent, Lang, MapImage, MonthlySeries } from './types.js';
import { insecuritySection } from './section-insecurity.js';
import { hotspotSection, type HotspotSection } from './section-hotspots.js';
import { placesSection } from './section-places.js';
import { aggregatedSection } from './section-aggregated.js';
import { disclosureKey, memoPart, memoSection, type NoteList } from './report-memo.js';

// Police events (Polisen's public feed) are left out: they are a sample of the same crimes as the register, placed
// only by their text, so adding them would count crimes twice; the scope notes say when some exist.
export const REPORT_SOURCES: Source[] = ['crimes', 'shootings', 'guard-reports', 'citizen-reports'];

/** evaluatePlaces: run each place's before/after evaluation (default; seconds per place) — false leaves it out */
export type LagesbildQuery = { areaId: number; from?: string; to?: string; lang: Lang; evaluatePlaces?: boolean };
export type LagesbildOptions = {
  /** the viewer's disclosure control: every figure of the report goes through it */
  disclosure: Disclosure; surveyMinRespondents: number;
  /** who asks (places' goal status and evaluation apply their own role rules) */
  principal: Principal;
  staffText?: StaffText;
  /** renders the hotspot map image (real map screenshot or SVG fallback); omitted → no image */
  mapImage?: (area: AreaInfo, hot: Promise<HotspotSection | null>, period: { from: string; to: string }) => Promise<MapImage>;
};

export async function buildLagesbild(db: Queryable, q: LagesbildQuery, o: LagesbildOptions): Promise<LagesbildContent> {
  const t = TEXTS[q.lang];
  const area = await reportArea(db, q.areaId);
  const version = await readDataVersion(db);
  const d = o.disclosure;
  const asked = await resolvePeriod(db, 'crimes', q.from, q.to);
  // the period counted and the one it is compared with: the same as /api/stats for the same request
  const period = labelled(d.period(asked.from, asked.to));
  const prev = comparisonFor(d, period);
  const ctx: StatsCtx = { db, areaSetId: area.areaSetId, areaId: area.id, from: period.from, to: period.to, disclosure: d, lang: q.lang };
  const notes: Record<string, string[]> = {};
  const note = (key: string, text: string) => { (notes[key] ??= []).push(text); };

  // The sections read the data independently: they run concurrently (on PostgreSQL each on a pooled connection; the
  // embedded database runs one statement at a time in arrival order, so there it changes little). The notes each section writes are kept apart and added below in the order the sections are listed,
  // so the content is the same as when they ran one after another. The heavy parts are memoised per data version
  // (report-memo.ts): the hotspot section, each place's evaluation, the sources' provenance, the map image (routes).
  const dk = disclosureKey(d);
  const buffer = () => { const list: NoteList = []; return { list, note: (k: string, text: string) => { list.push([k, text]); } }; };
  const insNotes = buffer(), hotNotes = buffer(), placeNotes = buffer(), aggNotes = buffer();
  // the area profile (GET /api/areas/:id/profile): per-source figures, monthly series, weekday × hour, survey
  const profileP = areaProfile(db, area.id, { from: period.from, to: period.to }, { disclosure: d, surveyMinRespondents: o.surveyMinRespondents });
  const hotP = memoSection(db, `hotspots|${area.id}|${period.from}|${period.to}|${dk}|${q.lang}`, version, hotNotes.note,
    (n) => hotspotSection(db, { area, from: period.from, to: period.to, disclosure: d, lang: q.lang }, n),
    (h) => h !== null); // an analysis that could not run (a note says why) is tried again next time
  // The map image: on PostgreSQL started at once (the real map's screenshot needs the hotspot section only for its
  // legend at the end). On the embedded database the screenshot's own requests (tiles, figures) would wait in line
  // behind the report's statements and could reach the view's timeout, so it starts when the sections are read.
  let sectionsRead: () => void = () => {};
  const sectionsReadP = new Promise<void>((res) => { sectionsRead = res; });
  const mapStart = 'kind' in db && db.kind === 'postgres' ? Promise.resolve() : sectionsReadP;
  const mapP: Promise<MapImage> = mapStart.then(() => (o.mapImage ? o.mapImage(area, hotP, { from: period.from, to: period.to })
    : hotP.then((h): MapImage => ({ dataUri: null, kind: 'none', note: '', legend: h?.legend ?? [] }))));
  const sectionsP = Promise.all([
    profileP,
    crimeGroups(ctx),
    byCategory(ctx, 'shootings', SHOOTING_OUTCOMES, shootingLabels(q.lang)),
    byCategory(ctx, 'guard-reports', GUARD_INTERVENTIONS, guardLabels(q.lang)),
    profileP.then((p) => insecuritySection(db, { area, from: period.from, to: period.to, exact: d.exact, k: d.k, disclosure: d, minRespondents: o.surveyMinRespondents, lang: q.lang }, p.survey, insNotes.note)),
    hotP,
    placesSection(db, { area, lang: q.lang, principal: o.principal, disclosure: d, surveyMinRespondents: o.surveyMinRespondents, evaluate: q.evaluatePlaces ?? true, version }, placeNotes.note),
    Promise.all(REPORT_SOURCES.map(async (s) => {
      const st = await statsFor(ctx, s);
      const prov = await memoPart(db, `sources|${area.id}|${s}|${period.from}|${period.to}|${dk}|${q.lang}`, version,
        () => sourceProvenance(db, { areaId: area.id, source: s, from: period.from, to: period.to, disclosure: d, lang: q.lang }, st.result));
      return { source: s, result: st.result, prov };
    })),
    profileP.then((p) => {
      const c = p.sources.find((x) => x.source === 'crimes');
      return c && c.weekdayHour.matrix.flat().some((v) => v === null || v > 0) ? weekdayHourMargins(db, area.id, area.areaSetId, period, d) : null;
    }),
    // aggregated counts (area-counts) for the area or an area containing it: their own part, never added to the above
    aggregatedSection(db, { area, sources: REPORT_SOURCES, from: period.from, to: period.to, disclosure: d, lang: q.lang, version }, aggNotes.note),
  ]);
  sectionsP.then(sectionsRead, () => { /* the report fails with the section's error; no map is rendered */ });
  const [[profile, groups, shootings, guards, insecurity, hot, places, sourceRows, whMargins, aggregated], map] = await Promise.all([sectionsP, mapP]);
  const perSource = REPORT_SOURCES.map((s) => profile.sources.find((x) => x.source === s)).filter((x): x is SourceProfile => Boolean(x));
  const police = profile.sources.find((x) => x.source === 'police-events');
  if (police && police.city.count !== 0) note('scope', q.lang === 'sv'
    ? 'Polisens publicerade händelser ingår inte: de är ett urval av samma brott som de anmälda brotten och placeras bara efter sin text (kartan kan visa dem som eget lager).'
    : 'Police events (Polisen\'s published feed) are not included: they are a sample of the same crimes as the reported crimes and are placed only by their text (the map can show them as a layer of their own).');
  const trendFrom = profile.meta.monthlyFrom;
  // a series whose every non-empty month is hidden says nothing: left out, with a note
  const allHidden = perSource.filter((p) => p.monthly.some((m) => m.suppressed) && !p.monthly.some((m) => (m.count ?? 0) > 0));
  for (const p of allHidden) note('scope', q.lang === 'sv' ? `${t.sources[p.source]}: varje månad har färre än ${d.k} händelser och visas inte per månad.` : `${t.sources[p.source]}: every month has fewer than ${d.k} events; no monthly series is shown.`);
  const monthly: MonthlySeries[] = perSource.filter((p) => !allHidden.includes(p) && p.monthly.some((m) => m.suppressed || (m.count ?? 0) > 0))
    .map((p) => ({ source: p.source, label: t.sources[p.source] ?? p.source, months: p.monthly }));
  const crimesProfile = perSource.find((p) => p.source === 'crimes');
  const wh = crimesProfile && whMargins
    ? { source: 'crimes', label: t.sources.crimes, matrix: crimesProfile.weekdayHour.matrix, total: crimesProfile.weekdayHour.total ?? 0, suppressed: !d.exact,
        ...whMargins }
    : null;
  const hiddenCells = wh ? wh.matrix.flat().filter((v) => v === null).length : 0;
  if (hiddenCells) note('whereWhen', q.lang === 'sv' ? `${hiddenCells} av 168 timceller har färre än ${d.k} händelser och visas inte.` : `${hiddenCells} of 168 hour cells have fewer than ${d.k} events and are not shown.`);
  for (const [k, text] of [...insNotes.list, ...hotNotes.list, ...placeNotes.list, ...aggNotes.list]) note(k, text);
  const sources = sourceRows.map((x) => x.prov);
  const statsBySource = new Map<string, AreaStatsResult>(sourceRows.map((x) => [x.source, x.result]));
  const statsMeta = statsBySource.get('crimes')!.meta;
  if (statsMeta.populationSource === 'derived-from-basomraden') {
    note('scope', q.lang === 'sv'
      ? `Befolkningen för ${area.areaSetName} är härledd från basområdenas befolkning ${statsMeta.populationYear ?? ''} genom ytviktad överlappning.`
      : `The population of ${area.areaSetName} is derived from the basområden population ${statsMeta.populationYear ?? ''} by area-weighted overlap.`);
  }
  if (!d.exact) {
    note('scope', q.lang === 'sv'
      ? `Antal under ${d.k} visas som "färre än ${d.k}". Övriga antal har ett litet slumpmässigt brus och är avrundade till närmaste ${d.method.roundingBase}-tal (högst ${d.method.maxError} från det sanna värdet), så att ingen enskild händelse kan räknas fram; takter och kvoter räknas på de publicerade talen.`
      : `Counts below ${d.k} are shown as "fewer than ${d.k}". Other counts carry a small random noise and are rounded to the nearest ${d.method.roundingBase} (at most ${d.method.maxError} from the true value), so no single event can be worked out; rates and ratios are computed from the published counts.`);
  }

  const population = crimesProfile?.area.population ?? null;
  const cityTotal = crimesProfile?.city ?? null;
  const draft: Omit<LagesbildContent, 'summary'> = {
    kind: 'lagesbild', schemaVersion: 1, lang: q.lang, generatedAt: new Date().toISOString(), dataVersion: version,
    viewer: { exact: d.exact, suppressionK: d.k, surveyMinRespondents: o.surveyMinRespondents },
    area: {
      id: area.id, code: area.code, name: area.name, areaSetId: area.areaSetId, areaSetName: area.areaSetName, level: area.level,
      population, populationYear: statsMeta.populationYear, areaKm2: area.areaKm2,
    },
    city: {
      id: area.kommun?.id ?? 0,
      name: area.kommun ? `${area.kommun.name} — ${q.lang === 'sv' ? 'alla områden i' : 'all areas of'} ${area.areaSetName}` : (cityTotal?.name ?? area.areaSetName),
      areaSetId: area.areaSetId, population: cityTotal?.population ?? null,
    },
    period: {
      from: period.from, to: period.to, lastDay: period.lastDay, days: period.days, trendFrom, label: period.label[q.lang],
      previous: { from: prev.from, to: prev.to, lastDay: prev.lastDay, rule: prev.rule }, comparison: prev.comparison[q.lang],
    },
    scope: { sources: perSource.map((p) => sourceFigure(p, q.lang)), crimeGroups: groups, monthly, shootingsByOutcome: shootings, guardByType: guards },
    insecurity,
    whereWhen: { map, hotspots: hot?.summary ?? null, weekdayHour: wh, topPlaces: hot?.topPlaces ?? [] },
    places, sources, aggregated,
    staff: o.staffText ?? emptyStaffText(),
    notes,
  };
  return { ...draft, summary: summaryFindings(draft) };
}

/**
 * Sums per weekday and per hour of the crimes' aoristic matrix (the profile's function), each published by the
 * disclosure control with the key sum of its cells (an incident spread over several hours adds its key to each).
 */
async function weekdayHourMargins(db: Queryable, areaId: number, setId: string, period: { from: string; to: string }, d: Disclosure) {
  const geo = await unplacedGeometry(db, setId);
  const placed = [...geo.placedIn.entries()].filter(([, a]) => a === areaId).map(([loc]) => loc);
  const { matrix: m, keys } = await weekdayHourMatrix(db, { areaId, placedLocationAreaIds: placed, source: 'crimes', from: period.from, to: period.to });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    byWeekday: m.map((row, w) => d.weight(sum(row), sum(keys[w]))),
    byHour: Array.from({ length: 24 }, (_, h) => d.weight(sum(m.map((row) => row[h])), sum(keys.map((row) => row[h])))),
  };
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
