// The report documents' HTML building blocks, shared by the lägesbild (render-html.ts) and the action plan's follow-up
// (render-follow-up.ts): the print CSS (A4, headings, tables, notes, boxes) and a table of the shared model
// (report-tables.ts), so every document prints the same way.
import { esc, html, raw, type Raw } from './escape.js';
import type { TableModel } from './report-tables.js';

export const REPORT_CSS = `
@page { size: A4; margin: 22mm 18mm 20mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #1b1f24; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
@media screen { body { background: #eef0f3; } main { background: #fff; padding: 16mm 18mm; margin: 12px auto; box-shadow: 0 1px 4px rgba(0,0,0,.15); } .screen-bar { max-width: 180mm; margin: 8px auto 0; font-size: 9pt; color: #555; display: flex; flex-wrap: wrap; gap: 2mm 4mm; align-items: center; justify-content: space-between; } }
.screen-bar .downloads { display: flex; gap: 3mm; }
.screen-bar .downloads a { display: inline-block; padding: 1.5mm 3.5mm; border-radius: 1mm; background: #1f4e79; color: #fff; text-decoration: none; font-weight: bold; }
.screen-bar .downloads a:hover, .screen-bar .downloads a:focus { background: #163a5c; }
@media print { .screen-bar { display: none !important; } }
h1 { font-size: 30pt; margin: 0 0 2mm; color: #1f4e79; letter-spacing: .5px; }
h2 { font-size: 15pt; color: #1f4e79; border-bottom: 1.5pt solid #1f4e79; padding-bottom: 1.5mm; margin: 0 0 4mm; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; color: #1b1f24; }
h2, h3, h4 { break-after: avoid; }
section.chapter { break-before: page; }
section.chapter.keep { break-before: auto; margin-top: 10mm; }
.cover { min-height: 225mm; display: flex; flex-direction: column; }
.cover .org { font-size: 10pt; text-transform: uppercase; letter-spacing: 2px; color: #58606a; margin-bottom: 14mm; border-top: 4pt solid #1f4e79; padding-top: 3mm; }
.cover .area { font-size: 22pt; font-weight: bold; margin: 4mm 0 1mm; }
.cover .sub { font-size: 12pt; color: #3a4250; margin-bottom: 7mm; }
.cover dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1.5mm 4mm; margin: 0 0 6mm; }
.cover dt { color: #58606a; } .cover dd { margin: 0; font-weight: bold; }
.law { font-size: 9pt; color: #3a4250; border-left: 3pt solid #a9bed6; padding: 1mm 0 1mm 4mm; margin: 6mm 0; }
.viewer { font-size: 9pt; padding: 2mm 3mm; background: #f3f5f8; border: 0.5pt solid #d5dae1; margin-bottom: 3mm; }
.viewer.exact { background: #fff4e5; border-color: #f0b46b; }
.toc ol { padding-left: 5mm; margin: 2mm 0; } .toc li { margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; break-inside: auto; }
thead { display: table-header-group; } tr { break-inside: avoid; }
th { text-align: left; font-weight: bold; border-bottom: 1pt solid #1b1f24; padding: 1.2mm 1.5mm; vertical-align: bottom; }
td { border-bottom: 0.4pt solid #d5dae1; padding: 1.1mm 1.5mm; vertical-align: top; }
tbody th[scope="row"] { font-weight: normal; border-bottom: 0.4pt solid #d5dae1; padding: 1.1mm 1.5mm; vertical-align: top; font-size: 9pt; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
td .sub { display: block; font-size: 8pt; color: #58606a; }
.place { break-inside: avoid; margin: 0 0 5mm; }
table.kv th { width: 34mm; border-bottom: 0.4pt solid #d5dae1; vertical-align: top; font-size: 9pt; }
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
.mapfig img { width: 100%; max-height: 200mm; object-fit: contain; display: block; }
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
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.badge { display: inline-block; font-size: 7.5pt; padding: 0.3mm 1.5mm; border-radius: 1mm; background: #e8ebef; }
`;

export const TONE_CLASS = { up: 'sig-up', down: 'sig-down', nosig: 'nosig' } as const;

/** A table of the shared model (report-tables.ts): the same columns and words as the Word document. */
export function tableHtml(m: TableModel, cls = ''): Raw {
  return html`<table${cls ? raw(` class="${cls}"`) : ''}><thead><tr>${m.head.map((h) => html`<th${h.numeric ? raw(' class="n"') : ''}>${h.text}</th>`)}</tr></thead><tbody>
    ${m.rows.map((r) => html`<tr>${r.map((cell) => html`<td${cell.numeric ? raw(' class="n"') : ''}>${cell.tone ? html`<span class="${TONE_CLASS[cell.tone]}">${cell.text}</span>` : cell.text}${cell.note ? html`<span class="sub">${cell.note}</span>` : ''}</td>`)}</tr>`)}
  </tbody></table>`;
}

/** Chromium's repeating header (left, right) and footer (left, page x of y) for a report PDF; every text escaped. */
export function pdfTemplates(o: { headerLeft: string; headerRight: string; footerLeft: string; page: string; of: string }): { headerTemplate: string; footerTemplate: string } {
  const style = 'font-family:Liberation Sans,Arial,sans-serif;font-size:7.5px;color:#58606a;width:100%;padding:0 18mm;display:flex;justify-content:space-between;';
  return {
    headerTemplate: `<div style="${style}"><span>${esc(o.headerLeft)}</span><span>${esc(o.headerRight)}</span></div>`,
    footerTemplate: `<div style="${style}"><span>${esc(o.footerLeft)}</span><span>${esc(o.page)} <span class="pageNumber"></span> ${esc(o.of)} <span class="totalPages"></span></span></div>`,
  };
}
