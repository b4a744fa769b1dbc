// The language a request asks for: `lang=sv|en` in the query string, else the first of sv/en in Accept-Language
// (by its q-values), else the fallback. Error details default to Swedish (the service is Swedish first); CSV keeps
// English column names unless Swedish is asked for, so existing scripts that read the columns by name keep working.
import type { FastifyRequest } from 'fastify';

export type RequestLang = 'sv' | 'en';

function fromAcceptLanguage(h: string | undefined): RequestLang | null {
  if (!h) return null;
  const tags = h.split(',').slice(0, 20).map((part, i) => {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
  }).filter((t) => (t.lang === 'sv' || t.lang === 'en') && t.q > 0);
  tags.sort((a, b) => b.q - a.q || a.i - b.i);
  return (tags[0]?.lang as RequestLang | undefined) ?? null;
}

/** The raw `lang` of the query string (whether or not the route's schema declares it). */
function langParam(url: string): RequestLang | null {
  const i = url.indexOf('?');
  if (i < 0) return null;
  const v = new URLSearchParams(url.slice(i + 1)).get('lang');
  return v === 'sv' || v === 'en' ? v : null;
}

export function requestLang(req: FastifyRequest, fallback: RequestLang = 'sv'): RequestLang {
  const h = req.headers['accept-language'];
  return langParam(req.url) ?? fromAcceptLanguage(Array.isArray(h) ? h[0] : h) ?? fallback;
}

/** Whether the request asks for Swedish explicitly (lang=sv, or Swedish before English in Accept-Language). */
export const asksForSwedish = (req: FastifyRequest) => requestLang(req, 'en') === 'sv';
