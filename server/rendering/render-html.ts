// The lägesbild as one self-contained HTML document with print CSS (A4, one section per page run, repeating
// header/footer supplied by Chromium for the PDF). Everything from data or staff text is escaped.
import { ciBar, heatColor, monthlyBars } from './charts.js';
import { esc, html, paragraphs, raw, type Raw } from './escape.js';
import { TEXTS, fill, fmtCount, fmtDate, fmtNumber, type Texts } from '../domain/reports/texts.js';
import type { CategoryFigure, ChangeFigure, LagesbildContent, Lang, SourceFigure, SurveyIndicator } from '../domain/reports/types.js';
import { comparisonLabel, periodLabel } from '../../shared/periods.js';

export type RenderContext = {
  /** set for a saved report: its id and date */
  saved?: { id: number; reportDate: string; title: string } | null;
};

const CSS = `
@page { size: A4; margin: 22mm 18mm 20mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #1b1f24; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
@media screen { body { background: #eef0f3; } main { background: #fff; padding: 16mm 18mm; margin: 12px auto; box-shadow: 0 1px 4px rgba(0,0,0,.15); } .screen-bar { max-width: 180mm; margin: 8px auto 0; font-size: 9pt; color: #555; } }
@media print { .screen-bar { display: none; } }
h1 { font-size: 30pt; margin: 0 0 2mm; color: #1f4e79; letter-spacing: .5px; }
h2 { font-size: 15pt; color: #1f4e79; border-bottom: 1.5pt solid #1f4e79; padding-bottom: 1.5mm; margin: 0 0 4mm; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; color: #1b1f24; }
section.chapter { break-before: page; }
section.chapter.keep { break-before: auto; margin-top: 10mm; }
.cover { min-height: 240mm; display: flex; flex-direction: column; }
.cover .org { font-size: 10pt; text-transform: uppercase; letter-spacing: 2px; color: #58606a; margin-bottom: 28mm; border-top: 4pt solid #1f4e79; padding-top: 3mm; }
.cover .area { font-size: 22pt; font-weight: bold; margin: 4mm 0 1mm; }
.cover .sub { font-size: 12pt; color: #3a4250; margin-bottom: 10mm; }
.cover dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1.5mm 4mm; margin: 0 0 8mm; }
.cover dt { color: #58606a; } .cover dd { margin: 0; font-weight: bold; }
.law { font-size: 9pt; color: #3a4250; border-left: 3pt solid #a9bed6; padding: 1mm 0 1mm 4mm; margin: 6mm 0; }
.viewer { font-size: 9pt; padding: 2mm 3mm; background: #f3f5f8; border: 0.5pt solid #d5dae1; margin-bottom: 3mm; }
.viewer.exact { background: #fff4e5; border-color: #f0b46b; }
.toc ol { padding-left: 5mm; margin: 2mm 0; } .toc li { margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; break-inside: auto; }
thead { display: table-header-group; } tr { break-inside: avoid; }
th { text-align: left; font-weight: bold; border-bottom: 1pt solid #1b1f24; padding: 1.2mm 1.5mm; vertical-align: bottom; }
td { border-bottom: 0.4pt solid #d5dae1; padding: 1.1mm 1.5mm; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { font-size: 8.5pt; }
tr.total td { font-weight: bold; border-top: 1pt solid #1b1f24; }
.sig-up { color: #a61b1b; font-weight: bold; } .sig-down { color: #1a6b35; font-weight: bold; } .nosig { color: #58606a; }
.note { font-size: 8.5pt; color: #58606a; margin: 1mm 0 3mm; }
.findings { list-style: none; padding: 0; margin: 0; }
.findings li { border: 0.5pt solid #d5dae1; border-left: 3pt solid #1f4e79; padding: 2.5mm 3.5mm; margin: 0 0 3mm; break-inside: avoid; }
.findings li.sig { border-left-color: #a61b1b; }
.findings .text { font-size: 10.5pt; font-weight: bold; }
.findings .meta { font-size: 8.5pt; color: #3a4250; margin-top: 1mm; }
.chart { display: block; margin: 1mm 0 2mm; }
.mapfig { border: 0.5pt solid #d5dae1; margin: 2mm 0; break-inside: avoid; }
.mapfig img { width: 100%; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 2mm 5mm; font-size: 8.5pt; margin: 1mm 0 3mm; }
.legend span.sw { display: inline-block; width: 4mm; height: 3mm; margin-right: 1.5mm; vertical-align: middle; border: 0.3pt solid #888; }
table.heat { table-layout: fixed; font-size: 7pt; }
table.heat td, table.heat th { padding: 0.6mm 0; text-align: center; border: 0.3pt solid #fff; }
table.heat th.day { text-align: left; width: 10mm; }
table.heat td.hid { background: #f3f5f8; color: #9aa3ad; }
.box { border: 0.6pt solid #9aa3ad; padding: 2.5mm 3.5mm; margin: 0 0 4mm; min-height: 28mm; break-inside: avoid; }
.box h4 { margin: 0 0 1mm; font-size: 10pt; }
.box .hint { font-size: 8.5pt; color: #58606a; font-style: italic; margin: 0 0 1.5mm; }
.box.empty { background: repeating-linear-gradient(#fff 0, #fff 7mm, #e8ebef 7mm, #e8ebef 7.3mm); }
.box .emptytext { color: #9aa3ad; font-size: 8.5pt; }
table.smart td { height: 9mm; } table.smart th { width: 32mm; }
.method dt { font-weight: bold; margin-top: 3mm; } .method dd { margin: 0.5mm 0 0; }
.synthetic { color: #a61b1b; font-weight: bold; }
.badge { display: inline-block; font-size: 7.5pt; padding: 0.3mm 1.5mm; border-radius: 1mm; background: #e8ebef; }
`;

/** The short table wording; the summary's findings use the full sentence. */
function verdict(t: Texts, f: { changeSignificant: boolean; rateRatio: number | null; ciLow: number | null; ciHigh: number | null }): Raw {
  if (!f.changeSignificant) return html`<span class="nosig">${t.short.nosig}</span>`;
  const up = (f.ciLow ?? 0) > 1;
  return html`<span class="${up ? 'sig-up' : 'sig-down'}">${up ? t.short.up : t.short.down}</span>`;
}

function ratio(lang: Lang, f: { rateRatio: number | null; ciLow: number | null; ciHigh: number | null }): string {
  if (f.rateRatio === null && f.ciLow === null) return '–';
  const r = f.rateRatio === null ? '∞' : fmtNumber(lang, f.rateRatio, 2);
  const lo = f.ciLow === null ? '–' : fmtNumber(lang, f.ciLow, 2);
  const hi = f.ciHigh === null ? '∞' : fmtNumber(lang, f.ciHigh, 2);
  return `${r} (${lo}–${hi})`;
}

function changeCells(c: LagesbildContent, f: ChangeFigure): Raw {
  const { lang } = c; const k = c.viewer.suppressionK; const t = TEXTS[lang];
  return html`<td class="n">${fmtCount(lang, f.count, f.suppressed, k)}</td>
    <td class="n">${f.ratePer1000 === null ? '–' : fmtNumber(lang, f.ratePer1000, 1)}</td>
    <td class="n">${fmtCount(lang, f.previousCount, f.previousSuppressed, k)}</td>
    <td class="n">${ratio(lang, f)}</td><td>${verdict(t, f)}</td>`;
}

function categoryTable(c: LagesbildContent, rows: CategoryFigure[], firstCol: string, withCity: boolean): Raw {
  const t = TEXTS[c.lang];
  if (!rows.length) return html`<p class="note">${t.noData}</p>`;
  return html`<table><thead><tr><th>${firstCol}</th><th class="n">${t.count}</th><th class="n">${t.rate}</th><th class="n">${t.previous}</th><th class="n">${t.change}</th><th>${t.significance}</th>${withCity ? html`<th class="n">${t.cityRate}</th>` : ''}</tr></thead><tbody>
    ${rows.map((r) => html`<tr><td>${r.label}</td>${changeCells(c, r)}${withCity ? html`<td class="n">${r.cityRatePer1000 === null ? '–' : fmtNumber(c.lang, r.cityRatePer1000, 1)}</td>` : ''}</tr>`)}
  </tbody></table>`;
}

function sourcesTable(c: LagesbildContent): Raw {
  const t = TEXTS[c.lang]; const k = c.viewer.suppressionK;
  const vs = (s: SourceFigure) => {
    if (!s.vsCity) return html`<span class="nosig">–</span>`;
    const v = s.vsCity;
    const word = !v.significant ? html`<span class="nosig">${t.short.nodiff}</span>` : html`<span class="${v.rateRatio > 1 ? 'sig-up' : 'sig-down'}">${v.rateRatio > 1 ? t.short.higher : t.short.lower}</span>`;
    return html`${fmtNumber(c.lang, v.rateRatio, 2)} (${fmtNumber(c.lang, v.ciLow, 2)}–${fmtNumber(c.lang, v.ciHigh, 2)})<br>${word}`;
  };
  return html`<table><thead><tr><th>${t.source}</th><th class="n">${t.count}</th><th class="n">${t.rate}</th><th class="n">${t.previous}</th><th class="n">${t.change}</th><th>${t.significance}</th><th class="n">${t.cityRate}</th><th>${t.vsCity}</th></tr></thead><tbody>
    ${c.scope.sources.map((s) => html`<tr><td>${s.label}${s.unplaced ? html`<br><span class="note">${t.unplaced}: ${fmtCount(c.lang, s.unplaced, false, k)}</span>` : ''}</td>${changeCells(c, s)}
      <td class="n">${s.city?.ratePer1000 == null ? '–' : fmtNumber(c.lang, s.city.ratePer1000, 1)}</td><td>${vs(s)}</td></tr>`)}
  </tbody></table>`;
}

function surveyTable(c: LagesbildContent, ind: SurveyIndicator): Raw {
  const t = TEXTS[c.lang];
  const pct = ind.kind === 'share';
  // shares are per cent (0–100) in the content; means keep their scale
  const f = (v: number | null) => (v === null ? '–' : pct ? fmtNumber(c.lang, v, 0) : fmtNumber(c.lang, v, 1));
  const max = pct ? 100 : Math.max(1, ...ind.groups.map((g) => g.ciHigh ?? g.value ?? 0), ...ind.groups.map((g) => g.cityValue ?? 0));
  return html`<h3>${ind.text}${pct ? ' (%)' : ''}</h3>
  <table><thead><tr><th>${t.group}</th><th class="n">${t.value}</th><th class="n">${t.ci}</th><th></th><th class="n">${t.respondents}</th><th class="n">${t.prevValue}</th><th class="n">${t.cityValue}</th><th>${t.significance}</th></tr></thead><tbody>
  ${ind.groups.map((g) => html`<tr><td>${g.label}</td>
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
<div class="screen-bar">${t.title} · ${a.name} · ${periodText} · ${t.dataVersion} ${c.dataVersion}</div>
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
  ${sourcesTable(c)}
  <h3>${t.byGroup}</h3>
  ${categoryTable(c, c.scope.crimeGroups, t.group, true)}
  <h3>${t.monthly}</h3>
  <p class="note">${fill(t.monthlyNote, { from: fmtDate(c.lang, c.period.trendFrom) })}</p>
  ${crimeMonthly.length ? crimeMonthly.map((s) => html`<div><strong>${s.label}</strong>${raw(monthlyBars(s, c.period, c.lang, k))}</div>`) : html`<p class="note">${t.noData}</p>`}
  <h3>${t.shootings}</h3>
  ${categoryTable(c, c.scope.shootingsByOutcome, t.group, false)}
  <h3>${t.guards}</h3>
  ${categoryTable(c, c.scope.guardByType, t.group, false)}
  ${notes(c, 'scope')}
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
  ${c.whereWhen.topPlaces.length
    ? html`<table><thead><tr><th>#</th><th>${t.area}</th><th>${t.kind}</th><th class="n">${t.count}</th></tr></thead><tbody>
      ${c.whereWhen.topPlaces.map((p, i) => html`<tr><td>${i + 1}</td><td>${p.name}<br><span class="note">${p.detail}</span></td><td>${t.placeKind[p.kind] ?? p.kind}</td><td class="n">${fmtCount(c.lang, p.count, p.suppressed, k)}</td></tr>`)}
    </tbody></table>`
    : html`<p class="note">${t.noData}</p>`}
  ${notes(c, 'whereWhen')}
</section>

<section class="chapter">
  ${sec(5, t.s5)}
  ${c.places.length
    ? html`<table><thead><tr><th>${t.placeCols.name}</th><th>${t.placeCols.status}</th><th>${t.placeCols.period}</th><th>${t.placeCols.goals}</th><th class="n">${t.placeCols.measures}</th><th>${t.placeCols.verdict}</th></tr></thead><tbody>
      ${c.places.map((p) => html`<tr><td>${p.name}</td><td>${t.placeStatus[p.status] ?? p.status}</td><td>${p.startDate ?? ''}${p.endDate ? ` – ${p.endDate}` : p.startDate ? ' –' : ''}</td>
        <td>${p.goals.length ? p.goals.map((g) => html`<div>${g.description || '–'} <span class="badge">${t.goalStatus[g.status] ?? g.status}</span>${g.deadline ? html` <span class="note">${g.deadline}</span>` : ''}</div>`) : '–'}</td>
        <td class="n">${p.measures}</td><td>${p.verdictText ?? p.verdict ?? '–'}</td></tr>`)}
    </tbody></table>`
    : html`<p>${t.noPlaces}</p>`}
  ${notes(c, 'places')}

  <section class="chapter keep">
  ${sec(6, t.s6)}
  <p class="note">${t.sourcesIntro}</p>
  <table><thead><tr><th>${t.srcCols.source}</th><th>${t.srcCols.span}</th><th class="n">${t.srcCols.total}</th><th>${t.srcCols.precision}</th><th class="n">${t.srcCols.unplaced}</th><th>${t.srcCols.batches}</th></tr></thead><tbody>
    ${c.sources.map((s) => html`<tr><td>${s.label}${s.synthetic ? html`<br><span class="synthetic">${t.synthetic}</span>` : ''}</td>
      <td>${s.firstDay ? `${s.firstDay} – ${s.lastDay}` : '–'}</td>
      <td class="n">${fmtCount(c.lang, s.total, s.total === null, k)}</td>
      <td>${s.precision.length ? s.precision.map((p) => html`<div>${t.precisionLabels[p.precision] ?? p.precision}: ${fmtCount(c.lang, p.count, p.count === null, k)}</div>`) : '–'}</td>
      <td class="n">${s.unplacedAtThisLevel === null ? '–' : fmtNumber(c.lang, s.unplacedAtThisLevel)}</td>
      <td>${s.batches.length ? s.batches.slice(0, 6).map((b) => html`<div>#${b.id} ${b.fileName ?? b.provider} (${b.importedAt.slice(0, 10)})</div>`) : '–'}${s.batches.length > 6 ? html`<div class="note">+ ${s.batches.length - 6}</div>` : ''}</td></tr>`)}
  </tbody></table>
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
  const style = 'font-family:Liberation Sans,Arial,sans-serif;font-size:7.5px;color:#58606a;width:100%;padding:0 18mm;display:flex;justify-content:space-between;';
  const period = reportPeriod(c);
  return {
    headerTemplate: `<div style="${style}"><span>${esc(t.title)} · ${esc(c.area.name)}</span><span>${esc(t.period)} ${esc(period)}</span></div>`,
    footerTemplate: `<div style="${style}"><span>${esc(t.dataVersion)} ${c.dataVersion} · ${esc(t.generated)} ${esc(c.generatedAt.slice(0, 10))}${c.viewer.exact ? '' : ''}</span><span>${esc(t.page)} <span class="pageNumber"></span> ${esc(t.of)} <span class="totalPages"></span></span></div>`,
  };
}
