// Plain, script-free HTML views of the OGC resources (what a browser gets with f=html or Accept: text/html).
// Every value is escaped; links are the same as in the JSON, so a person can browse what a GIS client reads.
import type { Link } from '../../domain/ogc/links.js';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1d2430}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin-top:1.6rem}a{color:#0b5cad}
nav.crumbs{font-size:.9rem;margin-bottom:.6rem}nav.crumbs a{margin-right:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #c9d1dc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right}ul.links li{margin:.15rem 0}.muted{color:#5b6675;font-size:.9rem}
.pager a{margin-right:1rem}code{background:#eef2f7;padding:0 .2rem}`;

export function page(opts: { title: string; crumbs: { href: string; label: string }[]; body: string; links: Link[] }): string {
  const alternates = opts.links.filter((l) => l.rel === 'alternate' || l.rel === 'self');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(opts.title)} – Trygghetskarta OGC API</title><style>${STYLE}</style>
${alternates.filter((l) => l.type !== 'text/html').map((l) => `<link rel="alternate" type="${esc(l.type)}" href="${esc(l.href)}">`).join('\n')}
</head><body>
<nav class="crumbs">${opts.crumbs.map((c) => `<a href="${esc(c.href)}">${esc(c.label)}</a>`).join(' › ')}</nav>
<h1>${esc(opts.title)}</h1>
${opts.body}
<h2>Links</h2>
<ul class="links">${opts.links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.title ?? l.rel)}</a> <span class="muted">(${esc(l.rel)}, ${esc(l.type)})</span></li>`).join('')}</ul>
</body></html>`;
}

export function table(head: string[], rows: unknown[][], numeric: boolean[] = []): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c instanceof SafeHtml ? c.html : esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Pre-escaped HTML to place in a table cell (a link). */
export class SafeHtml { constructor(public readonly html: string) {} }
export const a = (href: string, label: string) => new SafeHtml(`<a href="${esc(href)}">${esc(label)}</a>`);
