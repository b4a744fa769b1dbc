// The lägesbild's tables as plain rows of words and figures, shared by the HTML/PDF (render-html.ts) and the Word
// document (render-docx.ts), so both print the same columns, the same wording and the same figures. Every table fits a
// portrait A4 page: at most six columns, short headers, long wording in the first column or under it.
import { TEXTS, fill, fmtCount, fmtDate, fmtNumber } from '../domain/reports/texts.js';
import type { AggregatedFigures, CategoryFigure, ChangeFigure, LagesbildContent, Lang, PlaceStatus, SourceProvenance } from '../domain/reports/types.js';
import { GRANULARITY_LABELS } from '../domain/area-counts/count-periods.js';
import { addDays } from '../../shared/dates.js';

const lastDayOf = (to: string) => addDays(to, -1);

/** up/down: a significant rise/fall (red/green), nosig: a test that found nothing (grey) */
export type Tone = 'up' | 'down' | 'nosig';
export type Cell = { text: string; numeric?: boolean; tone?: Tone; note?: string };
export type TableModel = { head: { text: string; numeric?: boolean }[]; rows: Cell[][] };

const num = (text: string, tone?: Tone): Cell => ({ text, numeric: true, ...(tone ? { tone } : {}) });

export function ratioText(lang: Lang, f: { rateRatio: number | null; ciLow: number | null; ciHigh: number | null }): string {
  if (f.rateRatio === null && f.ciLow === null) return '–';
  const r = f.rateRatio === null ? '∞' : fmtNumber(lang, f.rateRatio, 2);
  const lo = f.ciLow === null ? '–' : fmtNumber(lang, f.ciLow, 2);
  const hi = f.ciHigh === null ? '∞' : fmtNumber(lang, f.ciHigh, 2);
  return `${r} (${lo}–${hi})`;
}

/** The short table wording of a change; the summary's findings use the full sentence. */
export function changeWord(lang: Lang, f: { changeSignificant: boolean; ciLow: number | null }): Cell {
  const t = TEXTS[lang];
  if (!f.changeSignificant) return { text: t.short.nosig, tone: 'nosig' };
  const up = (f.ciLow ?? 0) > 1;
  return { text: up ? t.short.up : t.short.down, tone: up ? 'up' : 'down' };
}

function changeCells(c: LagesbildContent, f: ChangeFigure, withRate: boolean): Cell[] {
  const { lang } = c; const k = c.viewer.suppressionK;
  return [
    num(fmtCount(lang, f.count, f.suppressed, k)),
    ...(withRate ? [num(f.ratePer1000 === null ? '–' : fmtNumber(lang, f.ratePer1000, 1))] : []),
    num(fmtCount(lang, f.previousCount, f.previousSuppressed, k)),
    num(ratioText(lang, f)),
    changeWord(lang, f),
  ];
}

/** Section 2, each source against the previous period. */
export function scopeChangeTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang]; const k = c.viewer.suppressionK;
  return {
    head: [{ text: t.source }, { text: t.count, numeric: true }, { text: t.previous, numeric: true }, { text: t.change, numeric: true }, { text: t.significance }],
    rows: c.scope.sources.map((s) => [
      { text: s.label, ...(s.unplaced ? { note: `${t.unplaced}: ${fmtCount(c.lang, s.unplaced, false, k)}` } : {}) },
      ...changeCells(c, s, false),
    ]),
  };
}

/** Section 2, each source's rate against the rest of the city (exact conditional test). */
export function scopeCityTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang];
  return {
    head: [{ text: t.source }, { text: t.rate, numeric: true }, { text: t.cityRate, numeric: true }, { text: t.change, numeric: true }, { text: t.significance }],
    rows: c.scope.sources.map((s) => {
      const v = s.vsCity;
      return [
        { text: s.label },
        num(s.ratePer1000 === null ? '–' : fmtNumber(c.lang, s.ratePer1000, 1)),
        num(s.city?.ratePer1000 == null ? '–' : fmtNumber(c.lang, s.city.ratePer1000, 1)),
        num(v ? `${fmtNumber(c.lang, v.rateRatio, 2)} (${fmtNumber(c.lang, v.ciLow, 2)}–${fmtNumber(c.lang, v.ciHigh, 2)})` : '–'),
        !v ? { text: '–', tone: 'nosig' as const }
          : !v.significant ? { text: t.short.nodiff, tone: 'nosig' as const }
            : { text: v.rateRatio > 1 ? t.short.higher : t.short.lower, tone: v.rateRatio > 1 ? 'up' as const : 'down' as const },
      ];
    }),
  };
}

/** Crime groups, shooting outcomes, guard interventions. */
export function categoryTable(c: LagesbildContent, rows: CategoryFigure[], withCity: boolean): TableModel {
  const t = TEXTS[c.lang];
  return {
    head: [{ text: t.group }, { text: t.count, numeric: true }, { text: t.rate, numeric: true }, { text: t.previous, numeric: true }, { text: t.change, numeric: true }, { text: t.significance },
      ...(withCity ? [{ text: t.cityRate, numeric: true }] : [])],
    rows: rows.map((r) => [{ text: r.label }, ...changeCells(c, r, true),
      ...(withCity ? [num(r.cityRatePer1000 === null ? '–' : fmtNumber(c.lang, r.cityRatePer1000, 1))] : [])]),
  };
}

/** Section 4, the places with most events (hexagon cells and basområden, by name). */
export function topPlacesTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang]; const k = c.viewer.suppressionK;
  return {
    head: [{ text: '#' }, { text: t.area }, { text: t.kind }, { text: t.count, numeric: true }],
    rows: c.whereWhen.topPlaces.map((p, i) => [
      { text: String(i + 1) },
      { text: p.name, ...(p.detail ? { note: p.detail } : {}) },
      { text: t.placeKind[p.kind] ?? p.kind },
      num(fmtCount(c.lang, p.count, p.suppressed, k)),
    ]),
  };
}

/** "2022-12-01 – 2025-12-31" */
function span(s: SourceProvenance): string {
  return s.firstDay ? `${s.firstDay} – ${s.lastDay ?? ''}` : '–';
}

export function batchText(lang: Lang, b: SourceProvenance['batches'][number]): string {
  const t = TEXTS[lang];
  const what = b.fileName ?? (b.provider && b.provider !== 'unknown' ? b.provider : t.batchNoFile);
  return b.importedAt ? `${what} (${b.importedAt.slice(0, 10)})` : what;
}

/** Section 6: per source the dates in the data, the area's events by location precision and the imports. */
export function sourcesTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang]; const k = c.viewer.suppressionK;
  return {
    head: [{ text: t.srcCols.source }, { text: t.srcCols.total, numeric: true }, { text: t.srcCols.precision }, { text: t.srcCols.unplaced, numeric: true }, { text: t.srcCols.batches }],
    rows: c.sources.map((s) => [
      { text: s.label, note: [`${t.srcCols.span}: ${span(s)}`, ...(s.synthetic ? [t.synthetic] : [])].join(' · ') },
      num(fmtCount(c.lang, s.total, s.total === null, k)),
      { text: s.precision.length ? s.precision.map((p) => `${t.precisionLabels[p.precision] ?? p.precision}: ${fmtCount(c.lang, p.count, p.count === null, k)}`).join('; ') : '–' },
      num(s.unplacedAtThisLevel === null ? '–' : fmtNumber(c.lang, s.unplacedAtThisLevel)),
      { text: s.batches.length ? s.batches.slice(0, 6).map((b) => batchText(c.lang, b)).join('; ') + (s.batches.length > 6 ? `; + ${s.batches.length - 6}` : '') : '–' },
    ]),
  };
}

/** "Anmälda brott — Stockholm (Kommuner i Stockholms län)": what aggregated figures are of, and whose area they are. */
export function aggregatedWhat(a: AggregatedFigures): string {
  return `${a.label} — ${a.areaName} (${a.areaSetName})`;
}

/** Section 2's aggregated counts: per source and area the imported counts against the comparison period. */
export function aggregatedTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang];
  return {
    head: [{ text: t.aggregated.col }, { text: t.count, numeric: true }, { text: t.rate, numeric: true }, { text: t.previous, numeric: true }, { text: t.change, numeric: true }, { text: t.significance }],
    rows: (c.aggregated?.rows ?? []).map((a) => [
      { text: aggregatedWhat(a), note: `${a.period.label} · ${GRANULARITY_LABELS[a.granularity][c.lang]}` },
      ...changeCells(c, a, true),
    ]),
  };
}

/** One aggregated source's figures per category (as /api/stats?category=<code>). */
export function aggregatedCategoryTable(c: LagesbildContent, a: AggregatedFigures): TableModel {
  return categoryTable(c, a.categories, false);
}

function aggregatedFile(lang: Lang, b: AggregatedFigures['batches'][number]): string {
  const t = TEXTS[lang].aggregated;
  const what = b.fileName ?? TEXTS[lang].batchNoFile;
  return `${what} (${t.imported} ${b.importedAt.slice(0, 10)}, ${t.provider} ${b.provider}, ${fmtNumber(lang, b.rows)} ${t.rows})`;
}

/** The provenance of one aggregated row in words: what, which period, completeness and the files. */
export function aggregatedProvenance(lang: Lang, a: AggregatedFigures): string {
  const t = TEXTS[lang].aggregated;
  const parts = [fill(t.provenance, { what: aggregatedWhat(a), gran: GRANULARITY_LABELS[a.granularity][lang], period: a.period.label })];
  if (a.requestedPeriod) parts.push(fill(t.widened, { asked: `${fmtDate(lang, a.requestedPeriod.from)} – ${fmtDate(lang, lastDayOf(a.requestedPeriod.to))}` }));
  if (!a.complete) parts.push(fill(t.incomplete, { from: fmtDate(lang, a.dataFrom), to: fmtDate(lang, lastDayOf(a.dataTo)) }));
  if (!a.previousCovered) parts.push(t.previousUnknown);
  parts.push(fill(t.files, { files: a.batches.length ? a.batches.map((b) => aggregatedFile(lang, b)).join('; ') : '–' }));
  return parts.join(' ');
}

/** Section 6: the aggregated counts' own provenance (source, area, the span of the data, the imported files). */
export function aggregatedSourcesTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang].aggregated;
  return {
    head: [{ text: t.sourcesCols.source }, { text: t.sourcesCols.area }, { text: t.sourcesCols.span }, { text: t.sourcesCols.batches }],
    rows: (c.aggregated?.rows ?? []).map((a) => [
      { text: a.label, note: GRANULARITY_LABELS[a.granularity][c.lang] },
      { text: `${a.areaName} (${a.areaSetName})` },
      { text: `${a.dataFrom} – ${lastDayOf(a.dataTo)}` },
      { text: a.batches.length ? a.batches.map((b) => aggregatedFile(c.lang, b)).join('; ') : '–' },
    ]),
  };
}

/** A place's status line: "Pågående sedan 1 mars 2025", "Planerad, start 1 mars 2026", "Avslutad (1 mars 2024 – 30 juni 2025)". */
export function placePeriod(lang: Lang, p: PlaceStatus): string {
  const t = TEXTS[lang];
  const status = t.placeStatus[p.status] ?? p.status;
  if (!p.startDate) return status;
  const start = fmtDate(lang, p.startDate), end = p.endDate ? fmtDate(lang, p.endDate) : null;
  const sv = lang === 'sv';
  if (p.status === 'planned') return `${status}, ${sv ? 'start' : 'starting'} ${start}${end ? ` ${sv ? 'till' : 'until'} ${end}` : ''}`;
  if (p.status === 'active') return `${status} ${sv ? 'sedan' : 'since'} ${start}${end ? ` ${sv ? 'till' : 'until'} ${end}` : ''}`;
  return `${status} (${start} – ${end ?? ''})`;
}

/** The follow-up's figures in words (before/after counts with their periods, ratio with CI), or null without any. */
export function placeFigures(lang: Lang, p: PlaceStatus): string | null {
  const f = p.followUp;
  if (!f || f.ratio === null) return null;
  const t = TEXTS[lang];
  if (f.placeBefore === null || f.placeAfter === null) return t.placeFiguresHidden;
  return fill(t.placeFiguresText, {
    before: fmtNumber(lang, f.placeBefore), after: fmtNumber(lang, f.placeAfter),
    bFrom: fmtDate(lang, f.before.from), bTo: fmtDate(lang, f.before.to), aFrom: fmtDate(lang, f.after.from), aTo: fmtDate(lang, f.after.to),
    control: f.controlName, rr: fmtNumber(lang, f.ratio, 2), lo: fmtNumber(lang, f.ciLow, 2), hi: fmtNumber(lang, f.ciHigh, 2),
    verdict: f.significant ? (f.ratio < 1 ? t.sigDecrease : t.sigIncrease) : t.noSigChange,
  });
}

/** The goals of a place with their status, one line each. */
export function placeGoals(lang: Lang, p: PlaceStatus): string[] {
  const t = TEXTS[lang];
  return p.goals.map((g) => `${g.description || '–'} — ${t.goalStatus[g.status] ?? g.status}${g.deadline ? ` (${fmtDate(lang, g.deadline)})` : ''}`);
}
