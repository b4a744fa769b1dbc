// HTML escaping for the report templates: every value that comes from data or from staff text goes through esc().
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[&<>"']/g, (c) => MAP[c]);
}

/** Staff free text: escaped, blank lines → paragraphs, single newlines → <br>. */
export function paragraphs(text: string | undefined | null): string {
  const t = (text ?? '').trim();
  if (!t) return '';
  return t.split(/\n\s*\n/).map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('');
}

/** A tagged template that escapes every interpolated value unless it is marked safe with raw(). */
export class Raw { constructor(readonly html: string) {} toString() { return this.html; } }
export const raw = (html: string) => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Raw(out);
}

function render(v: unknown): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === false || v === null || v === undefined) return '';
  return esc(v);
}
