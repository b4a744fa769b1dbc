// The lägesbild as an editable Word document (.docx, the npm package `docx`): the same content, words and tables as
// the HTML/PDF (the tables come from report-tables.ts), with real Word headings — the HTML's h2 → Heading 1, h3 →
// Heading 2, h4 → Heading 3 — so the navigation pane and the table of contents work, a table of contents field
// (filled in from the headings, Word updates its page numbers), page numbers in the footer, the map image, and the
// staff sections (orsaksanalys, prioriteringar, åtgärdsplan with SMART goals) as text the district finishes in Word.
import {
  AlignmentType, HeadingLevel, ImageRun, LevelFormat, Paragraph, Table, TableCell, TableOfContents, TableRow, TextRun, WidthType,
} from 'docx';
import {
  BLUE, GREY, RED, TEXT_W, TEXT_W_PX, h1, h1Here, h2, h3, keyValueTable, modelTable, note, p, reportDocx, textParagraphs, thin, widths, type Block,
} from './docx-blocks.js';
import { TEXTS, fill, fmtDate, fmtNumber } from '../domain/reports/texts.js';
import type { LagesbildContent, SurveyIndicator } from '../domain/reports/types.js';
import {
  aggregatedCategoryTable, aggregatedProvenance, aggregatedSourcesTable, aggregatedTable, aggregatedWhat, categoryTable, placeFigures, placeGoals, placePeriod, scopeChangeTable, scopeCityTable, sourcesTable, topPlacesTable,
  type TableModel,
} from './report-tables.js';
import type { RenderContext } from './render-html.js';

function notes(c: LagesbildContent, key: string): Paragraph[] {
  return (c.notes[key] ?? []).map(note);
}

function modelOrEmpty(c: LagesbildContent, m: TableModel, cols?: number[]): Block[] {
  return m.rows.length ? [modelTable(m, cols), p('')] : [note(TEXTS[c.lang].noData)];
}

/** Survey rows: the HTML's columns without the drawn CI bar. */
function surveyTable(c: LagesbildContent, ind: SurveyIndicator): TableModel {
  const t = TEXTS[c.lang];
  const pct = ind.kind === 'share';
  const f = (v: number | null) => (v === null ? '–' : pct ? fmtNumber(c.lang, v, 0) : fmtNumber(c.lang, v, 1));
  return {
    head: [{ text: t.group }, { text: t.value, numeric: true }, { text: t.ci, numeric: true }, { text: t.respondents, numeric: true }, { text: t.prevValue, numeric: true }, { text: t.cityValue, numeric: true }, { text: t.significance }],
    rows: ind.groups.map((g) => [
      { text: g.label },
      g.suppressed ? { text: t.suppressed, numeric: true, tone: 'nosig' as const } : { text: f(g.value), numeric: true },
      { text: g.suppressed ? '' : `${f(g.ciLow)}–${f(g.ciHigh)}`, numeric: true },
      { text: g.respondents === null ? '–' : fmtNumber(c.lang, g.respondents), numeric: true },
      { text: f(g.previousValue), numeric: true },
      { text: f(g.cityValue), numeric: true },
      g.differenceSignificant && g.value !== null && g.previousValue !== null
        ? { text: g.value > g.previousValue ? t.findings.sigUp : t.findings.sigDown, tone: (g.value > g.previousValue) === (ind.direction === 'higher-is-worse') ? 'up' as const : 'down' as const }
        : { text: t.short.nosig, tone: 'nosig' as const },
    ]),
  };
}

/** Counts per month of the period, one column per source (the HTML draws them as bars). */
function monthlyTable(c: LagesbildContent): TableModel {
  const t = TEXTS[c.lang];
  const from = c.period.from.slice(0, 7), to = c.period.to.slice(0, 7);
  const months = [...new Set(c.scope.monthly.flatMap((s) => s.months.map((m) => m.month)))].filter((m) => m >= from && m < to).sort();
  const k = c.viewer.suppressionK;
  return {
    head: [{ text: c.lang === 'sv' ? 'Månad' : 'Month' }, ...c.scope.monthly.map((s) => ({ text: s.label, numeric: true }))],
    rows: months.map((m) => [
      { text: new Intl.DateTimeFormat(c.lang === 'sv' ? 'sv-SE' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${m}-15T12:00:00Z`)) },
      ...c.scope.monthly.map((s) => {
        const x = s.months.find((y) => y.month === m);
        return { text: !x ? '–' : x.suppressed ? `< ${k}` : fmtNumber(c.lang, x.count, 0), numeric: true };
      }),
    ]),
  };
}

/** Weekday × hour: the full grid, or the sums per weekday and per hour when most cells are hidden (as the HTML). */
function weekdayHour(c: LagesbildContent): Block[] {
  const t = TEXTS[c.lang]; const k = c.viewer.suppressionK;
  const wh = c.whereWhen.weekdayHour;
  if (!wh || wh.total === 0) return [note(t.noData)];
  const fmt = (v: number | null) => (v === null ? '·' : v >= 0.5 ? fmtNumber(c.lang, v, 0) : '');
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const small = (text: string, bold = false) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, size: 13, bold })] });
  const grid = (rows: { label: string; values: (number | null)[] }[], head: string[] | null): Table => {
    const n = (head ?? rows[0].values.map(() => '')).length + (rows.some((r) => r.label) ? 1 : 0);
    const labelW = rows.some((r) => r.label) ? 600 : 0;
    const w = Math.floor((TEXT_W - labelW) / (n - (labelW ? 1 : 0)));
    const cols = [...(labelW ? [labelW] : []), ...Array.from({ length: n - (labelW ? 1 : 0) }, () => w)];
    const mk = (label: string, cells: string[], bold: boolean) => new TableRow({
      children: [...(labelW ? [new TableCell({ width: { size: labelW, type: WidthType.DXA }, children: [small(label, true)] })] : []),
        ...cells.map((x, i) => new TableCell({ width: { size: cols[i + (labelW ? 1 : 0)], type: WidthType.DXA }, children: [small(x, bold)] }))],
    });
    return new Table({
      width: { size: TEXT_W, type: WidthType.DXA }, columnWidths: cols,
      borders: { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin },
      rows: [...(head ? [mk('', head, true)] : []), ...rows.map((r) => mk(r.label, r.values.map(fmt), false))],
    });
  };
  const hidden = wh.matrix.flat().filter((v) => v === null).length;
  if (hidden > 84) {
    return [
      note(c.lang === 'sv' ? `De flesta timceller har färre än ${k} händelser; därför visas summor per veckodag och per timme.` : `Most hour cells have fewer than ${k} events; sums per weekday and per hour are shown instead.`),
      grid([{ label: '', values: wh.byWeekday }], t.weekdays), p(''), grid([{ label: '', values: wh.byHour }], hours), p(''),
    ];
  }
  return [grid(wh.matrix.map((row, d) => ({ label: t.weekdays[d], values: row })), hours), p('')];
}

/** PNG size from its IHDR chunk (the map's aspect ratio). */
function pngSize(png: Buffer): { width: number; height: number } | null {
  if (png.length < 24 || png.toString('latin1', 1, 4) !== 'PNG') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function mapBlocks(c: LagesbildContent): Block[] {
  const t = TEXTS[c.lang];
  const m = c.whereWhen.map;
  const out: Block[] = [];
  const data = m.dataUri?.startsWith('data:image/png;base64,') ? Buffer.from(m.dataUri.slice('data:image/png;base64,'.length), 'base64') : null;
  const size = data ? pngSize(data) : null;
  if (data && size) {
    const width = TEXT_W_PX;
    const height = Math.min(Math.round((width * size.height) / size.width), 900);
    const w = Math.round((height * size.width) / size.height);
    out.push(new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new ImageRun({ type: 'png', data, transformation: { width: w, height }, altText: { name: 'map', title: t.hotspotMap, description: `${t.hotspotMap}: ${c.area.name}` } })],
    }));
  } else {
    out.push(note(`${t.noMap} ${m.note}`));
  }
  if (m.legend.length) {
    out.push(new Paragraph({
      spacing: { after: 120 },
      children: m.legend.flatMap((l, i) => [
        new TextRun({ text: `${i ? '    ' : ''}■ `, color: l.color.replace('#', '').toUpperCase() === 'FFFFFF' ? 'C9CED6' : l.color.replace('#', ''), size: 22 }),
        new TextRun({ text: `${l.label} (${l.cells})`, size: 17 }),
      ]),
    }));
  }
  const n = [c.whereWhen.hotspots ? fill(t.hotspotNote, { cell: c.whereWhen.hotspots.cellSize }) : '', m.kind === 'real-map' ? t.mapRealNote : m.kind === 'svg-fallback' ? t.mapSvgNote : '', m.note].filter(Boolean).join(' ');
  if (n) out.push(note(n));
  return out;
}

function staffBox(title: string, hint: string, text: string, empty: string): Block[] {
  const filled = text.trim().length > 0;
  return [
    h3(title),
    p(hint, { italics: true, color: GREY, size: 17 }),
    ...(filled ? textParagraphs(text) : [p(empty, { color: '9AA3AD', size: 17 }), p(''), p('')]),
  ];
}

/** Section 2's aggregated counts: their own Heading 2, the labelling sentence, the table, provenance and per category. */
function aggregatedBlocks(c: LagesbildContent): Block[] {
  const t = TEXTS[c.lang].aggregated;
  const rows = c.aggregated?.rows ?? [];
  if (!rows.length && !(c.notes.aggregated ?? []).length) return [];
  return [
    h2(t.title), note(t.intro),
    ...(rows.length ? modelOrEmpty(c, aggregatedTable(c), widths(aggregatedTable(c), 0.3)) : []),
    ...rows.map((a) => note(aggregatedProvenance(c.lang, a))),
    ...rows.filter((a) => a.categories.length).flatMap((a) => [
      h3(fill(t.byCategory, { what: aggregatedWhat(a) })), ...modelOrEmpty(c, aggregatedCategoryTable(c, a), widths(aggregatedCategoryTable(c, a), 0.25)),
    ]),
    ...notes(c, 'aggregated'),
  ];
}

export async function renderLagesbildDocx(c: LagesbildContent, ctx: RenderContext = {}): Promise<Buffer> {
  const t = TEXTS[c.lang];
  const k = c.viewer.suppressionK;
  const a = c.area;
  const periodText = `${fmtDate(c.lang, c.period.from)} – ${fmtDate(c.lang, c.period.lastDay)}`;
  const prevLast = new Date(`${c.period.previous.to}T00:00:00Z`);
  prevLast.setUTCDate(prevLast.getUTCDate() - 1);
  const viewerText = c.viewer.exact ? t.viewerExact : fill(t.viewerPublic, { k, k1: k - 1, m: c.viewer.surveyMinRespondents });
  const staff = c.staff;
  const synthetic = c.sources.some((s) => s.synthetic);
  const sections = [t.s1, t.s2, t.s3, t.s4, t.s5, t.s6, t.s7, t.s8].map((s, i) => `${i + 1}. ${s}`);

  const body: Block[] = [
    // cover
    p(`${c.city ? c.city.name.split(' — ')[0] : a.areaSetName} · ${t.title}`.toUpperCase(), { color: GREY, size: 18 }),
    new Paragraph({ text: t.title, heading: HeadingLevel.TITLE }),
    p(a.name, { bold: true, size: 40 }),
    p(t.subtitle, { size: 24, color: '3A4250' }),
    keyValueTable([
      [t.period, periodText],
      [t.previousPeriod, `${fmtDate(c.lang, c.period.previous.from)} – ${fmtDate(c.lang, prevLast.toISOString().slice(0, 10))}`],
      [t.areaSet, a.areaSetName],
      [t.population, `${a.population === null ? '–' : fmtNumber(c.lang, a.population)}${a.populationYear ? ` (${t.populationYear} ${a.populationYear})` : ''}`],
      [t.cityRef, c.city ? c.city.name : '–'],
      [t.dataVersion, String(c.dataVersion)],
      [t.generated, `${c.generatedAt.slice(0, 16).replace('T', ' ')} UTC`],
    ]),
    p(''),
    p(viewerText, { size: 18 }),
    p(ctx.saved ? fill(t.snapshot, { id: ctx.saved.id, date: ctx.saved.reportDate, v: c.dataVersion }) : t.live, { size: 18 }),
    ...(synthetic ? [p(t.synthetic, { bold: true, color: RED })] : []),
    p(t.lawNote, { size: 18, color: '3A4250' }),
    p(t.toc, { bold: true, size: 24, color: BLUE }),
    new TableOfContents(t.toc, { hyperlink: true, headingStyleRange: '1-2' }),

    // 1 summary
    h1(sections[0]),
    note(t.findingsIntro),
    ...(c.summary.length ? c.summary.flatMap((f) => [
      new Paragraph({ numbering: { reference: 'findings', level: 0 }, keepNext: true, children: [new TextRun({ text: f.text, bold: true, color: f.significant ? RED : undefined })] }),
      new Paragraph({ indent: { left: 360 }, spacing: { after: 160 }, children: [new TextRun({ text: `${t.figure}: ${f.figure} · ${t.test}: ${f.test}`, size: 17, color: '3A4250' })] }),
    ]) : [p(t.noFindings)]),
    ...notes(c, 'summary'),

    // 2 scope
    h1(sections[1]),
    h2(t.scopeChange), ...modelOrEmpty(c, scopeChangeTable(c)),
    h2(t.scopeCity), ...modelOrEmpty(c, scopeCityTable(c)),
    h2(t.byGroup), ...modelOrEmpty(c, categoryTable(c, c.scope.crimeGroups, true), widths(categoryTable(c, c.scope.crimeGroups, true), 0.22)),
    h2(t.monthly),
    note(fill(t.monthlyNote, { from: fmtDate(c.lang, c.period.trendFrom) })),
    ...(c.scope.monthly.length ? modelOrEmpty(c, monthlyTable(c), widths(monthlyTable(c), 0.24)) : [note(t.noData)]),
    h2(t.shootings), ...modelOrEmpty(c, categoryTable(c, c.scope.shootingsByOutcome, false), widths(categoryTable(c, c.scope.shootingsByOutcome, false), 0.25)),
    h2(t.guards), ...modelOrEmpty(c, categoryTable(c, c.scope.guardByType, false), widths(categoryTable(c, c.scope.guardByType, false), 0.25)),
    ...notes(c, 'scope'),
    ...aggregatedBlocks(c),

    // 3 insecurity
    h1(sections[2]),
    ...(c.insecurity.wave
      ? [p(`${t.survey}: ${c.insecurity.wave.name}${c.insecurity.previousWave ? ` (${t.previousWave}: ${c.insecurity.previousWave.name})` : ''}.`), note(t.surveyNote),
        ...c.insecurity.indicators.flatMap((i) => [h2(`${i.text}${i.kind === 'share' ? ' (%)' : ''}`), ...modelOrEmpty(c, surveyTable(c, i), widths(surveyTable(c, i), 0.2))])]
      : [p(t.noSurvey)]),
    h2(t.divergence),
    ...(c.insecurity.divergence && c.insecurity.divergence.class
      ? [p(`${t.divClass[c.insecurity.divergence.class] ?? ''}. ${c.insecurity.divergence.indicatorText}: z = ${fmtNumber(c.lang, c.insecurity.divergence.fearZ, 2)}; ${t.sources.crimes}: z = ${fmtNumber(c.lang, c.insecurity.divergence.crimeZ, 2)}.`),
        note(`${t.divNote} ${c.insecurity.divergence.note}`)]
      : [note(t.noDivergence)]),
    ...notes(c, 'insecurity'),

    // 4 where and when
    h1(sections[3]),
    h2(t.hotspotMap), ...mapBlocks(c),
    h2(`${t.weekdayHour}${c.whereWhen.weekdayHour ? ` — ${c.whereWhen.weekdayHour.label}` : ''}`),
    note(t.weekdayHourNote), ...weekdayHour(c),
    h2(t.topPlaces), note(t.topPlacesNote),
    ...modelOrEmpty(c, topPlacesTable(c), [400, Math.round(TEXT_W * 0.55), Math.round(TEXT_W * 0.25), TEXT_W - 400 - Math.round(TEXT_W * 0.55) - Math.round(TEXT_W * 0.25)]),
    ...notes(c, 'whereWhen'),

    // 5 places
    h1(sections[4]),
    ...(c.places.length ? c.places.flatMap((pl) => {
      const figures = placeFigures(c.lang, pl);
      const goals = placeGoals(c.lang, pl);
      return [
        h2(pl.name),
        keyValueTable([
          [t.placeCols.status, placePeriod(c.lang, pl)],
          [t.placeCols.goals, goals.length ? goals.map((g) => new Paragraph({ children: [new TextRun({ text: g, size: 18 })] })) : '–'],
          [t.placeCols.measures, fmtNumber(c.lang, pl.measures)],
          [t.placeCols.verdict, pl.verdictText ?? '–'],
          ...(figures ? [[t.placeFigures, figures] as [string, string]] : []),
        ], 0.22),
        p(''),
      ];
    }) : [p(t.noPlaces)]),
    ...notes(c, 'places'),

    // 6 sources
    h1Here(sections[5]),
    note(t.sourcesIntro),
    ...modelOrEmpty(c, sourcesTable(c), widths(sourcesTable(c), 0.26)),
    ...(c.aggregated?.rows.length
      ? [h2(t.aggregated.sourcesTitle), note(t.aggregated.sourcesIntro), ...modelOrEmpty(c, aggregatedSourcesTable(c), widths(aggregatedSourcesTable(c), 0.2))] : []),
    ...notes(c, 'sources'),

    // 7 staff
    h1(sections[6]),
    note(t.staffIntro),
    h2(t.ca.title),
    ...(['preparation', 'deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const).flatMap((key, i) =>
      staffBox(`${i + 1}. ${t.ca[key]}`, t.caHints[key], staff.causalAnalysis[key], t.empty)),
    h2(t.priorities),
    ...staffBox(t.priorities, t.prioritiesHint, staff.priorities, t.empty),
    h2(t.actionPlan),
    note(t.actionPlanHint),
    ...(staff.actionPlan.summary.trim() ? textParagraphs(staff.actionPlan.summary) : []),
    ...(staff.actionPlan.goals.length ? staff.actionPlan.goals : [null]).flatMap((g, i) => [
      keyValueTable((['goal', 'specific', 'measurable', 'accepted', 'realistic', 'timeBound', 'measures', 'responsible', 'followUp'] as const).map((f) =>
        [f === 'goal' ? `${t.smart.goal} ${i + 1}` : t.smart[f], g && g[f].trim() ? textParagraphs(g[f]) : [new Paragraph(''), new Paragraph('')]] as [string, Paragraph[]]), 0.25),
      p(''),
    ]),
    ...(staff.comments.trim() ? [h2(t.comments), ...textParagraphs(staff.comments)] : []),

    // 8 method
    h1(sections[7]),
    ...([
      [t.method.suppression, fill(t.method.suppressionText, { k, k1: k - 1, m: c.viewer.surveyMinRespondents })],
      [t.method.change, t.method.changeText], [t.method.city, t.method.cityText], [t.method.survey, t.method.surveyText],
      [t.method.hotspots, t.method.hotspotsText], [t.method.aoristic, t.method.aoristicText], [t.method.precision, t.method.precisionText],
      [t.method.period, t.method.periodText],
    ] as [string, string][]).flatMap(([term, text]) => [p(term, { bold: true }), p(text)]),
    ...notes(c, 'method'),
  ];

  return reportDocx({
    title: `${t.title} — ${a.name} — ${periodText}`,
    subject: t.subtitle,
    description: `${t.title} ${a.name}, ${periodText}. ${t.dataVersion} ${c.dataVersion}.`,
    headerText: `${t.title} · ${a.name} · ${t.period} ${periodText}`,
    footerText: `${t.dataVersion} ${c.dataVersion} · ${t.generated} ${c.generatedAt.slice(0, 10)}`, page: t.page, of: t.of,
    numbering: [{ reference: 'findings', levels: [{ level: 0, format: LevelFormat.BULLET, text: '▪', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 360, hanging: 260 } } } }] }],
    children: body,
  });
}
