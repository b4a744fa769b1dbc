// The lägesbild as one self-contained HTML document with print CSS (A4, one section per page run, repeating
// header/footer supplied by Chromium for the PDF). Everything from data or staff text is escaped.
import { ciBar, heatColor, monthlyBars } from './charts.js';
import { html, paragraphs, raw, type Raw } from './escape.js';
import { REPORT_CSS as CSS, pdfTemplates, tableHtml } from './html-blocks.js';
import { TEXTS, fill, fmtCount, fmtDate, fmtNumber } from '../domain/reports/texts.js';
import type { LagesbildContent, SurveyIndicator } from '../domain/reports/types.js';
import { comparisonLabel, periodLabel } from '../../shared/periods.js';
import {
  aggregatedCategoryTable, aggregatedProvenance, aggregatedSourcesTable, aggregatedTable, aggregatedWhat, categoryTable, placeFigures, placeGoals, placePeriod, scopeChangeTable, scopeCityTable, sourcesTable, topPlacesTable, type TableModel,
} from './report-tables.js';

export type RenderContext = {
  /** set for a saved report: its id and date */
  saved?: { id: number; reportDate: string; title: string } | null;
  /** the same report as PDF and Word (relative links, shown in a screen-only bar; none when omitted) */
  downloads?: { pdf: string; docx: string } | null;
};

function modelOrEmpty(c: LagesbildContent, m: TableModel, cls = ''): Raw {
  return m.rows.length ? tableHtml(m, cls) : html`<p class="note">${TEXTS[c.lang].noData}</p>`;
}

function surveyTable(c: LagesbildContent, ind: SurveyIndicator): Raw {
  const t = TEXTS[c.lang];
  const pct = ind.kind === 'share';
  // shares are per cent (0–100) in the content; means keep their scale
  const f = (v: number | null) => (v === null ? '–' : pct ? fmtNumber(c.lang, v, 0) : fmtNumber(c.lang, v, 1));
  const max = pct ? 100 : Math.max(1, ...ind.groups.map((g) => g.ciHigh ?? g.value ?? 0), ...ind.groups.map((g) => g.cityValue ?? 0));
  return html`<h3>${ind.text}${pct ? ' (%)' : ''}</h3>
  <table><thead><tr><th>${t.group}</th><th class="n">${t.value}</th><th class="n">${t.ci}</th><th><span class="vh">${c.lang === 'sv' ? 'Diagram: värde och KI' : 'Chart: value and CI'}</span></th><th class="n">${t.respondents}</th><th class="n">${t.prevValue}</th><th class="n">${t.cityValue}</th><th>${t.significance}</th></tr></thead><tbody>
  ${ind.groups.map((g) => html`<tr><th scope="row">${g.label}</th>
    <td class="n">${g.suppressed ? html`<span class="nosig">${t.suppressed}</span>` : f(g.value)}</td>
    <td class="n">${g.suppressed ? '' : `${f(g.ciLow)}–${f(g.ciHigh)}`}</td>
    <td>${g.suppressed ? '' : raw(ciBar(g.value, g.ciLow, g.ciHigh, max, g.cityValue))}</td>
    <td class="n">${g.respondents === null ? '–' : fmtNumber(c.lang, g.respondents)}</td>
    <td class="n">${f(g.previousValue)}</td><td class="n">${f(g.cityValue)}</td>
    <td>${g.differenceSignificant && g.value !== null && g.previousValue !== null
      ? html`<span class="${(g.value > g.previousValue) === (ind.direction === 'higher-is-worse') ? 'sig-up' : 'sig-down'}">${g.value > g.previousValue ? t.findings.sigUp : t.findings.sigDown}</span>`
      : html`<span class="nosig">${t.short.nosig}</span>`}</td></tr>`)}
  </tbody></table>`;
}

function heatGrid(c: LagesbildContent): Raw {
  const t = TEXTS[c.lang];
  const k = c.viewer.suppressionK;
  const wh = c.whereWhen.weekdayHour;
  if (!wh || wh.total === 0) return html`<p class="note">${t.noData}</p>`;
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const hidden = wh.matrix.flat().filter((v) => v === null).length;
  if (hidden > 84) {
    // most cells are below k: the grid would be blank, so show the sums per weekday and per hour instead
    const bars = (vals: (number | null)[], labels: string[]) => {
      const m = Math.max(1, ...vals.map((v) => v ?? 0));
      return html`<table class="heat"><tbody><tr>${vals.map((v) => html`<td style="background:${v === null ? '#f3f5f8' : heatColor(v, m)};color:${v !== null && v / m > 0.45 ? '#fff' : '#333'}">${v === null ? '·' : fmtNumber(c.lang, v, 0)}</td>`)}</tr>
        <tr>${labels.map((l) => html`<th>${l}</th>`)}</tr></tbody></table>`;
    };
    return html`<p class="note">${c.lang === 'sv' ? `De flesta timceller har färre än ${k} händelser; därför visas summor per veckodag och per timme.` : `Most hour cells have fewer than ${k} events; sums per weekday and per hour are shown instead.`}</p>
      ${bars(wh.byWeekday, t.weekdays)}${bars(wh.byHour, hours.map((h) => String(h).padStart(2, '0')))}`;
  }
  const max = Math.max(0, ...wh.matrix.flat().map((v) => v ?? 0));
  return html`<table class="heat"><thead><tr><th class="day"></th>${hours.map((h) => html`<th>${String(h).padStart(2, '0')}</th>`)}</tr></thead><tbody>
    ${wh.matrix.map((row, d) => html`<tr><th class="day">${t.weekdays[d]}</th>${row.map((v) => {
      if (v === null) return html`<td class="hid" title="&lt; ${k}">·</td>`;
      const bg = heatColor(v, max);
      const dark = max > 0 && v / max > 0.45;
      return html`<td style="background:${bg};color:${dark ? '#fff' : '#333'}">${v >= 0.5 ? fmtNumber(c.lang, v, 0) : ''}</td>`;
    })}</tr>`)}
  </tbody></table>`;
}

/**
 * Section 2's aggregated counts (import kind area-counts): their own subsection, labelled as imported counts not added
 * to the event figures, each with its provenance line and, where the counts have categories, a table per category.
 */
function aggregatedHtml(c: LagesbildContent): Raw {
  const t = TEXTS[c.lang].aggregated;
  const rows = c.aggregated?.rows ?? [];
  if (!rows.length && !(c.notes.aggregated ?? []).length) return raw('');
  return html`<section class="aggregated" id="s2-aggregated">
  <h3>${t.title}</h3>
  <p class="note">${t.intro}</p>
  ${rows.length ? tableHtml(aggregatedTable(c), 'aggregated') : ''}
  ${rows.map((a) => html`<p class="note provenance">${aggregatedProvenance(c.lang, a)}</p>`)}
  ${rows.filter((a) => a.categories.length).map((a) => html`<h4>${fill(t.byCategory, { what: aggregatedWhat(a) })}</h4>${tableHtml(aggregatedCategoryTable(c, a))}`)}
  ${notes(c, 'aggregated')}
  </section>`;
}

function staffBox(title: string, hint: string, text: string, emptyText: string): Raw {
  const filled = text.trim().length > 0;
  return html`<div class="box${filled ? '' : ' empty'}"><h4>${title}</h4><p class="hint">${hint}</p>${filled ? raw(paragraphs(text)) : html`<span class="emptytext">${emptyText}</span>`}</div>`;
}

export function renderLagesbildHtml(c: LagesbildContent, ctx: RenderContext = {}): string {
  const t = TEXTS[c.lang];
  const k = c.viewer.suppressionK;
  const a = c.area;
  const periodText = reportPeriod(c);
  const viewerText = c.viewer.exact ? t.viewerExact : fill(t.viewerPublic, { k, k1: k - 1, m: c.viewer.surveyMinRespondents });
  const staff = c.staff;
  const synthetic = c.sources.some((s) => s.synthetic);
  const crimeMonthly = c.scope.monthly;
  const sec = (n: number, title: string) => html`<h2 id="s${n}">${n}. ${title}</h2>`;

  const doc = html`<!DOCTYPE html>
<html lang="${c.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} — ${a.name} — ${periodText}</title>
<meta name="generator" content="Trygghetskarta"><meta name="data-version" content="${c.dataVersion}">
<style>${raw(CSS)}</style></head>
<body>
<div class="screen-bar"><span>${t.title} · ${a.name} · ${periodText} · ${t.dataVersion} ${c.dataVersion}</span>${ctx.downloads
  ? html`<nav class="downloads"><a href="${ctx.downloads.pdf}" download>${t.download.pdf}</a><a href="${ctx.downloads.docx}" download>${t.download.docx}</a></nav>` : ''}</div>
<main>
<section class="cover">
  <div class="org">${c.city ? c.city.name.split(' — ')[0] : a.areaSetName} · ${t.title}</div>
  <h1>${t.title}</h1>
  <div class="area">${a.name}</div>
  <div class="sub">${t.subtitle}</div>
  <dl>
    <dt>${t.period}</dt><dd>${periodText}</dd>
    <dt>${t.previousPeriod}</dt><dd>${comparisonText(c)}</dd>
    <dt>${t.areaSet}</dt><dd>${a.areaSetName}</dd>
    <dt>${t.population}</dt><dd>${a.population === null ? '–' : fmtNumber(c.lang, a.population)}${a.populationYear ? ` (${t.populationYear} ${a.populationYear})` : ''}</dd>
    <dt>${t.cityRef}</dt><dd>${c.city ? c.city.name : '–'}</dd>
    <dt>${t.dataVersion}</dt><dd>${c.dataVersion}</dd>
    <dt>${t.generated}</dt><dd>${c.generatedAt.slice(0, 16).replace('T', ' ')} UTC</dd>
  </dl>
  <div class="viewer${c.viewer.exact ? ' exact' : ''}">${viewerText}</div>
  <div class="viewer">${ctx.saved ? fill(t.snapshot, { id: ctx.saved.id, date: ctx.saved.reportDate, v: c.dataVersion }) : t.live}</div>
  ${synthetic ? html`<div class="viewer exact"><span class="synthetic">${t.synthetic}</span></div>` : ''}
  <p class="law">${t.lawNote}</p>
  <nav class="toc"><strong>${t.toc}</strong><ol>
    ${[t.s1, t.s2, t.s3, t.s4, t.s5, t.s6, t.s7, t.s8].map((s, i) => html`<li><a href="#s${i + 1}">${s}</a></li>`)}
  </ol></nav>
</section>

<section class="chapter">
  ${sec(1, t.s1)}
  <p class="note">${t.findingsIntro}</p>
  ${c.summary.length ? html`<ul class="findings">${c.summary.map((f) => html`<li class="${f.significant ? 'sig' : ''}"><div class="text">${f.text}</div><div class="meta">${t.figure}: ${f.figure} · ${t.test}: ${f.test}</div></li>`)}</ul>` : html`<p>${t.noFindings}</p>`}
  ${notes(c, 'summary')}
</section>

<section class="chapter">
  ${sec(2, t.s2)}
  <h3>${t.scopeChange}</h3>
  ${modelOrEmpty(c, scopeChangeTable(c))}
  <h3>${t.scopeCity}</h3>
  ${modelOrEmpty(c, scopeCityTable(c))}
  <h3>${t.byGroup}</h3>
  ${modelOrEmpty(c, categoryTable(c, c.scope.crimeGroups, true))}
  <h3>${t.monthly}</h3>
  <p class="note">${fill(t.monthlyNote, { from: fmtDate(c.lang, c.period.trendFrom) })}</p>
  ${crimeMonthly.length ? crimeMonthly.map((s) => html`<div><strong>${s.label}</strong>${raw(monthlyBars(s, c.period, c.lang, k))}</div>`) : html`<p class="note">${t.noData}</p>`}
  <h3>${t.shootings}</h3>
  ${modelOrEmpty(c, categoryTable(c, c.scope.shootingsByOutcome, false))}
  <h3>${t.guards}</h3>
  ${modelOrEmpty(c, categoryTable(c, c.scope.guardByType, false))}
  ${notes(c, 'scope')}
  ${aggregatedHtml(c)}
</section>

<section class="chapter">
  ${sec(3, t.s3)}
  ${c.insecurity.wave
    ? html`<p>${t.survey}: <strong>${c.insecurity.wave.name}</strong>${c.insecurity.previousWave ? html` (${t.previousWave}: ${c.insecurity.previousWave.name})` : ''}.</p><p class="note">${t.surveyNote}</p>
      ${c.insecurity.indicators.map((i) => surveyTable(c, i))}`
    : html`<p>${t.noSurvey}</p>`}
  <h3>${t.divergence}</h3>
  ${c.insecurity.divergence && c.insecurity.divergence.class
    ? html`<p><strong>${t.divClass[c.insecurity.divergence.class] ?? c.insecurity.divergence.class}.</strong> ${c.insecurity.divergence.indicatorText}: z = ${fmtNumber(c.lang, c.insecurity.divergence.fearZ, 2)}; ${t.sources.crimes}: z = ${fmtNumber(c.lang, c.insecurity.divergence.crimeZ, 2)}.</p><p class="note">${t.divNote} ${c.insecurity.divergence.note}</p>`
    : html`<p class="note">${t.noDivergence}</p>`}
  ${notes(c, 'insecurity')}
</section>

<section class="chapter">
  ${sec(4, t.s4)}
  <h3>${t.hotspotMap}</h3>
  ${c.whereWhen.map.dataUri
    ? html`<figure class="mapfig"><img src="${c.whereWhen.map.dataUri}" alt="${t.hotspotMap}: ${a.name}"></figure>`
    : html`<p class="note">${t.noMap} ${c.whereWhen.map.note}</p>`}
  ${c.whereWhen.map.legend.length ? html`<div class="legend">${c.whereWhen.map.legend.map((l) => html`<span><span class="sw" style="background:${l.color}"></span>${l.label} (${l.cells})</span>`)}</div>` : ''}
  <p class="note">${c.whereWhen.hotspots ? fill(t.hotspotNote, { cell: c.whereWhen.hotspots.cellSize }) : ''} ${c.whereWhen.map.kind === 'real-map' ? t.mapRealNote : c.whereWhen.map.kind === 'svg-fallback' ? t.mapSvgNote : ''} ${c.whereWhen.map.note}</p>
  <h3>${t.weekdayHour}${c.whereWhen.weekdayHour ? ` — ${c.whereWhen.weekdayHour.label}` : ''}</h3>
  <p class="note">${t.weekdayHourNote}</p>
  ${heatGrid(c)}
  <h3>${t.topPlaces}</h3>
  <p class="note">${t.topPlacesNote}</p>
  ${modelOrEmpty(c, topPlacesTable(c))}
  ${notes(c, 'whereWhen')}
</section>

<section class="chapter">
  ${sec(5, t.s5)}
  ${c.places.length
    ? c.places.map((p) => {
      const figures = placeFigures(c.lang, p);
      const goals = placeGoals(c.lang, p);
      return html`<div class="place"><h3>${p.name}</h3><table class="kv"><tbody>
        <tr><th>${t.placeCols.status}</th><td>${placePeriod(c.lang, p)}</td></tr>
        <tr><th>${t.placeCols.goals}</th><td>${goals.length ? goals.map((g) => html`<div>${g}</div>`) : '–'}</td></tr>
        <tr><th>${t.placeCols.measures}</th><td>${fmtNumber(c.lang, p.measures)}</td></tr>
        <tr><th>${t.placeCols.verdict}</th><td>${p.verdictText ?? '–'}</td></tr>
        ${figures ? html`<tr><th>${t.placeFigures}</th><td>${figures}</td></tr>` : ''}
      </tbody></table></div>`;
    })
    : html`<p>${t.noPlaces}</p>`}
  ${notes(c, 'places')}

  <section class="chapter keep">
  ${sec(6, t.s6)}
  <p class="note">${t.sourcesIntro}</p>
  ${modelOrEmpty(c, sourcesTable(c))}
  ${c.aggregated?.rows.length ? html`<h3>${t.aggregated.sourcesTitle}</h3><p class="note">${t.aggregated.sourcesIntro}</p>${tableHtml(aggregatedSourcesTable(c), 'aggregated-sources')}` : ''}
  ${notes(c, 'sources')}
  </section>
</section>

<section class="chapter">
  ${sec(7, t.s7)}
  <p class="note">${t.staffIntro}</p>
  <h3>${t.ca.title}</h3>
  ${(['preparation', 'deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const).map((key, i) =>
    staffBox(`${i + 1}. ${t.ca[key]}`, t.caHints[key], staff.causalAnalysis[key], t.empty))}
  <h3>${t.priorities}</h3>
  ${staffBox(t.priorities, t.prioritiesHint, staff.priorities, t.empty)}
  <h3>${t.actionPlan}</h3>
  <p class="note">${t.actionPlanHint}</p>
  ${staff.actionPlan.summary.trim() ? raw(paragraphs(staff.actionPlan.summary)) : ''}
  ${(staff.actionPlan.goals.length ? staff.actionPlan.goals : [null]).map((g, i) => html`<table class="smart"><tbody>
    ${(['goal', 'specific', 'measurable', 'accepted', 'realistic', 'timeBound', 'measures', 'responsible', 'followUp'] as const).map((f) =>
      html`<tr><th>${f === 'goal' ? `${t.smart.goal} ${i + 1}` : t.smart[f]}</th><td>${g ? raw(paragraphs(g[f])) : ''}</td></tr>`)}
  </tbody></table>`)}
  ${staff.comments.trim() ? html`<h3>${t.comments}</h3>${raw(paragraphs(staff.comments))}` : ''}
</section>

<section class="chapter method">
  ${sec(8, t.s8)}
  <dl>
    <dt>${t.method.suppression}</dt><dd>${fill(t.method.suppressionText, { k, k1: k - 1, m: c.viewer.surveyMinRespondents })}</dd>
    <dt>${t.method.change}</dt><dd>${t.method.changeText}</dd>
    <dt>${t.method.city}</dt><dd>${t.method.cityText}</dd>
    <dt>${t.method.survey}</dt><dd>${t.method.surveyText}</dd>
    <dt>${t.method.hotspots}</dt><dd>${t.method.hotspotsText}</dd>
    <dt>${t.method.aoristic}</dt><dd>${t.method.aoristicText}</dd>
    <dt>${t.method.precision}</dt><dd>${t.method.precisionText}</dd>
    <dt>${t.method.period}</dt><dd>${t.method.periodText}</dd>
  </dl>
  ${notes(c, 'method')}
</section>
</main></body></html>`;
  return doc.html;
}

function notes(c: LagesbildContent, key: string): Raw {
  const n = c.notes[key] ?? [];
  return n.length ? html`<div class="note">${n.map((x) => html`<p>${x}</p>`)}</div>` : raw('');
}

/** The report's period with its last day inclusive: "1 jan – 31 dec 2025" (saved reports without the label too). */
function reportPeriod(c: LagesbildContent): string {
  return c.period.label ?? periodLabel(c.period, c.lang);
}

/** "2025 jämfört med 2024", with the comparison period's days when its name does not already say them. */
function comparisonText(c: LagesbildContent): string {
  const prev = periodLabel(c.period.previous, c.lang);
  const text = c.period.comparison ?? comparisonLabel(c.period, c.period.previous, c.lang);
  return text.endsWith(prev) ? text : `${text} (${prev})`;
}

/** Chromium's repeating header and footer for the PDF: area, period, data version, generated date, page x of y. */
export function pdfHeaderFooter(c: LagesbildContent): { headerTemplate: string; footerTemplate: string } {
  const t = TEXTS[c.lang];
  return pdfTemplates({
    headerLeft: `${t.title} · ${c.area.name}`, headerRight: `${t.period} ${reportPeriod(c)}`,
    footerLeft: `${t.dataVersion} ${c.dataVersion} · ${t.generated} ${c.generatedAt.slice(0, 10)}`, page: t.page, of: t.of,
  });
}
