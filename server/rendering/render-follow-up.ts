// The action plan's follow-up report for the district council (issue 18): one self-contained HTML document with the
// lägesbild's print CSS (and so the same PDF through Chromium), and the same content as an editable Word document.
// Cover (plan, area, status, decided by and when, versions, follow-up date), 1 summary, 2 each priority with where it
// came from, its orsaksanalys, problem triangle and indicators, 3 the measures, 4 the method. The tables come from
// follow-up-tables.ts, so the HTML and the Word document print the same words and figures.
import { HeadingLevel, Paragraph, TextRun } from 'docx';
import type { FollowUpDocument } from '../domain/action-plans/follow-up-document.js';
import { FOLLOW_UP_TEXTS } from '../domain/action-plans/follow-up-texts.js';
import type { Priority } from '../domain/action-plans/action-plan-schema.js';
import { TEXTS, fill } from '../domain/reports/texts.js';
import { GREY, h1, h2, h3, keyValueTable, modelTable, note, p, reportDocx, textParagraphs, widths, type Block } from './docx-blocks.js';
import { html, paragraphs, raw, type Raw } from './escape.js';
import { causalRows, coverFacts, indicatorTable, measuresTable, originLines, summaryTable } from './follow-up-tables.js';
import { REPORT_CSS, pdfTemplates, tableHtml } from './html-blocks.js';
import type { TableModel } from './report-tables.js';

/** The same follow-up as PDF and Word (relative links, in a screen-only bar). */
export type FollowUpRenderContext = { downloads?: { pdf: string; docx: string } | null };

const CSS = `${REPORT_CSS}
table.facts th { width: 48mm; font-weight: normal; color: #58606a; border-bottom: 0.4pt solid #d5dae1; }
table.facts td { font-weight: bold; }
table.summary thead { display: none; }
table.summary td:first-child { width: 48mm; color: #58606a; }
.priority { break-inside: auto; margin-bottom: 8mm; }
table.kv td p { margin: 0 0 1mm; }
table.indicators td.n { white-space: normal; }
table.indicators td .sub { white-space: normal; }
table.indicators th:first-child { width: 30mm; }
h4 { font-size: 10pt; margin: 4mm 0 1.5mm; }
`;

const viewerText = (d: FollowUpDocument) => {
  const t = FOLLOW_UP_TEXTS[d.lang];
  return d.viewer.exact ? t.viewerExact : fill(t.viewerPublic, { k: d.viewer.suppressionK });
};

function factsHtml(rows: [string, string][], cls = 'kv facts'): Raw {
  return html`<table class="${cls}"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

function textRowsHtml(rows: [string, string][], empty: string): Raw {
  return html`<table class="kv"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v.trim() ? raw(paragraphs(v)) : html`<span class="nosig">${empty}</span>`}</td></tr>`)}</tbody></table>`;
}

function priorityHtml(d: FollowUpDocument, pr: Priority, n: number): Raw {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const ca = causalRows(d, pr);
  const ind = indicatorTable(d, pr);
  return html`<div class="priority"><h3>2.${n} ${pr.title}</h3>
    <h4>${t.origin}</h4>${originLines(d, pr).map((l) => html`<p>${l}</p>`)}
    <h4>${t.causalAnalysis}</h4>${textRowsHtml(ca.steps, t.empty)}
    <h4>${t.triangle}</h4>${textRowsHtml(ca.triangle, t.empty)}
    <h4>${t.indicators}</h4>${ind.rows.length ? tableHtml(ind, 'indicators') : html`<p class="note">${t.noIndicators}</p>`}
  </div>`;
}

export function renderFollowUpHtml(d: FollowUpDocument, ctx: FollowUpRenderContext = {}): string {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const plan = d.plan;
  const area = d.areaNames[plan.areaId] ?? plan.areaName ?? '';
  const sec = (n: number, title: string) => html`<h2 id="s${n}">${n}. ${title}</h2>`;
  const measures = measuresTable(d);
  const doc = html`<!DOCTYPE html>
<html lang="${d.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} — ${plan.title} — ${area}</title>
<meta name="generator" content="Trygghetskarta"><meta name="data-version" content="${d.followUp.dataVersion}">
<style>${raw(CSS)}</style></head>
<body>
<div class="screen-bar"><span>${t.title} · ${area} · ${t.asOf} ${d.followUp.asOf}</span>${ctx.downloads
  ? html`<nav class="downloads"><a href="${ctx.downloads.pdf}" download>${TEXTS[d.lang].download.pdf}</a><a href="${ctx.downloads.docx}" download>${TEXTS[d.lang].download.docx}</a></nav>` : ''}</div>
<main>
<section class="cover">
  <div class="org">${area} · ${t.title}</div>
  <h1>${t.title}</h1>
  <div class="area">${plan.title}</div>
  <div class="sub">${t.subtitle}</div>
  ${factsHtml(coverFacts(d))}
  <div class="viewer${d.viewer.exact ? ' exact' : ''}">${viewerText(d)}</div>
  <p class="law">${t.lawNote}</p>
  <nav class="toc"><strong>${t.toc}</strong><ol>
    ${[t.s1, t.s2, t.s3, t.s4].map((s, i) => html`<li><a href="#s${i + 1}">${s}</a></li>`)}
  </ol></nav>
</section>

<section class="chapter">
  ${sec(1, t.s1)}
  ${tableHtml(summaryTable(d), 'summary')}
</section>

<section class="chapter">
  ${sec(2, t.s2)}
  ${plan.plan.priorities.length ? plan.plan.priorities.map((pr, i) => priorityHtml(d, pr, i + 1)) : html`<p class="note">${t.empty}</p>`}
</section>

<section class="chapter">
  ${sec(3, t.s3)}
  ${measures.rows.length ? tableHtml(measures) : html`<p class="note">${t.noMeasures}</p>`}
</section>

<section class="chapter keep method">
  ${sec(4, t.s4)}
  <dl>
    <dt>${t.method.change}</dt><dd>${t.method.changeText}</dd>
    <dt>${t.method.early}</dt><dd>${t.method.earlyText}</dd>
    <dt>${t.method.survey}</dt><dd>${fill(t.method.surveyText, { m: d.viewer.surveyMinRespondents })}</dd>
    <dt>${t.method.overdue}</dt><dd>${t.method.overdueText}</dd>
    <dt>${t.method.suppression}</dt><dd>${fill(t.method.suppressionText, { k: d.viewer.suppressionK })}</dd>
  </dl>
</section>
</main></body></html>`;
  return doc.html;
}

/** Chromium's repeating header and footer for the PDF: plan, area, follow-up date, data version, page x of y. */
export function followUpPdfHeaderFooter(d: FollowUpDocument): { headerTemplate: string; footerTemplate: string } {
  const t = FOLLOW_UP_TEXTS[d.lang];
  return pdfTemplates({
    headerLeft: `${t.title} · ${d.areaNames[d.plan.areaId] ?? d.plan.areaName ?? ''}`, headerRight: d.plan.title,
    footerLeft: `${t.dataVersion} ${d.followUp.dataVersion} · ${t.asOf} ${d.followUp.asOf}`, page: t.page, of: t.of,
  });
}

/** Label → staff text rows as a Word fact table (an empty step says so). */
function textRowsDocx(rows: [string, string][], empty: string): Block {
  return keyValueTable(rows.map(([k, v]) => [k, v.trim() ? textParagraphs(v) : [new Paragraph({ children: [new TextRun({ text: empty, color: GREY, size: 18 })] })]] as [string, Paragraph[]]), 0.3);
}

const table = (m: TableModel, first = 0.3): Block[] => [modelTable(m, widths(m, first)), p('')];

export async function renderFollowUpDocx(d: FollowUpDocument): Promise<Buffer> {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const plan = d.plan;
  const area = d.areaNames[plan.areaId] ?? plan.areaName ?? '';
  const sections = [t.s1, t.s2, t.s3, t.s4].map((s, i) => `${i + 1}. ${s}`);
  const measures = measuresTable(d);
  const body: Block[] = [
    p(`${area} · ${t.title}`.toUpperCase(), { color: GREY, size: 18 }),
    new Paragraph({ text: t.title, heading: HeadingLevel.TITLE }),
    p(plan.title, { bold: true, size: 40 }),
    p(t.subtitle, { size: 24, color: '3A4250' }),
    keyValueTable(coverFacts(d)),
    p(''),
    p(viewerText(d), { size: 18 }),
    p(t.lawNote, { size: 18, color: '3A4250' }),

    h1(sections[0]),
    keyValueTable(summaryTable(d).rows.map(([k, v]) => [k.text, v.text])),

    h1(sections[1]),
    ...(plan.plan.priorities.length ? plan.plan.priorities.flatMap((pr, i) => {
      const ca = causalRows(d, pr);
      const ind = indicatorTable(d, pr);
      return [
        h2(`2.${i + 1} ${pr.title}`),
        h3(t.origin), ...originLines(d, pr).map((l) => p(l)),
        h3(t.causalAnalysis), textRowsDocx(ca.steps, t.empty), p(''),
        h3(t.triangle), textRowsDocx(ca.triangle, t.empty), p(''),
        h3(t.indicators), ...(ind.rows.length ? table(ind, 0.22) : [note(t.noIndicators)]),
      ];
    }) : [note(t.empty)]),

    h1(sections[2]),
    ...(measures.rows.length ? table(measures, 0.28) : [note(t.noMeasures)]),

    h1(sections[3]),
    ...([
      [t.method.change, t.method.changeText], [t.method.early, t.method.earlyText],
      [t.method.survey, fill(t.method.surveyText, { m: d.viewer.surveyMinRespondents })], [t.method.overdue, t.method.overdueText],
      [t.method.suppression, fill(t.method.suppressionText, { k: d.viewer.suppressionK })],
    ] as [string, string][]).flatMap(([term, text]) => [p(term, { bold: true }), p(text)]),
  ];
  return reportDocx({
    title: `${t.title} — ${plan.title} — ${area}`,
    subject: t.subtitle,
    description: `${t.title}: ${plan.title}, ${area}. ${t.dataVersion} ${d.followUp.dataVersion}, ${t.asOf} ${d.followUp.asOf}.`,
    headerText: `${t.title} · ${area} · ${plan.title}`,
    footerText: `${t.dataVersion} ${d.followUp.dataVersion} · ${t.asOf} ${d.followUp.asOf}`, page: t.page, of: t.of,
    children: body,
  });
}
