// Places a police event by its text. The feed's GPS is only the municipality's centre, so the text is the only
// evidence of where it happened. Rules (never claim more than the text supports):
// - Districts, basområden and metro stations are matched only for events of Stockholm municipality (the
//   gazetteer covers Stockholm city); other events are placed at their municipality, "Stockholms län" events at
//   the county (or at a municipality the text names, when exactly one is named).
// - A name matches with a capital first letter (place names are capitalised in Swedish; "gärdet", "stadion",
//   "gallerian" in lower case are common nouns), in any case after that ("HUSBY"), with the genitive -s
//   ("Husbys") or a compound suffix ("Husbytorget", "Tenstaskolan").
// - The summary/preamble decide; the body is used only when they name no place. All names found must agree on
//   one district, else the event stays at its municipality. The finest agreeing name wins (basområde over
//   district; a station gives the district containing it).
import type { Gazetteer, GazetteerPlace } from './build-gazetteer.js';

export type Placement = {
  precision: 'basomrade' | 'district' | 'municipality' | 'county';
  areaId: number | null;
  matched: string[];
  via?: GazetteerPlace['kind'] | 'municipality';
};

const SUFFIXES = 'torget|torg|skolan|gården|parken|centrum|vägen|gatan|hallen|badet|bron|stråket|gången|backen|platsen|området|stationen|station|plan|allén';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex for one name: capital first letter, rest any case, optional genitive s or compound suffix, whole word. */
function nameRegex(name: string): RegExp {
  const first = name[0];
  const rest = name.slice(1).split('').map((c) => (/\p{L}/u.test(c) ? `[${escape(c.toLowerCase())}${escape(c.toUpperCase())}]` : c === ' ' ? '\\s+' : escape(c))).join('');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escape(first.toUpperCase())}${rest}(?:s|(?:s)?(?:${SUFFIXES}))?(?![\\p{L}\\p{N}])`, 'u');
}

export type CompiledGazetteer = { g: Gazetteer; places: { p: GazetteerPlace; re: RegExp; key: string }[]; munis: { name: string; re: RegExp }[] };

export function compileGazetteer(g: Gazetteer): CompiledGazetteer {
  // longer names first so "Hässelby gård" is tried before a shorter overlapping name
  const places = [...g.places].sort((a, b) => b.name.length - a.name.length).map((p) => ({ p, re: nameRegex(p.name), key: p.name.toLowerCase().split(' ')[0] }));
  const munis = [...g.municipalities.keys()].map((name) => ({ name, re: nameRegex(name) }));
  return { g, places, munis };
}

function matchPlaces(c: CompiledGazetteer, text: string): GazetteerPlace[] {
  const found: GazetteerPlace[] = [];
  let rest = text;
  const lower = text.toLowerCase();
  for (const { p, re, key } of c.places) {
    if (!lower.includes(key)) continue; // cheap prefilter before the regex
    if (re.test(rest)) {
      found.push(p);
      rest = rest.replace(new RegExp(re.source, 'gu'), ' '); // a longer name consumes its text ("Hässelby strand" ≠ "Hässelby")
    }
  }
  return found;
}

function agree(found: GazetteerPlace[]): GazetteerPlace | null {
  if (!found.length) return null;
  const districts = new Set(found.map((f) => f.districtId));
  if (districts.size !== 1) return null;
  return found.find((f) => f.precision === 'basomrade') ?? found.find((f) => f.kind === 'stadsdel') ?? found[0];
}

export type EventText = { municipality: string; name?: string | null; summary?: string | null; preamble?: string | null; body?: string | null };

export function placeByText(c: CompiledGazetteer, e: EventText): Placement {
  const muni = c.g.municipalities.get(e.municipality);
  const head = [e.summary, e.preamble].filter(Boolean).join(' \n ');
  const body = e.body ?? '';
  if (muni) {
    const isStockholm = e.municipality === 'Stockholm';
    if (isStockholm) {
      for (const text of [head, body]) {
        const found = matchPlaces(c, text);
        if (!found.length) continue;
        const best = agree(found);
        if (best) return { precision: best.precision, areaId: best.areaId, matched: found.map((f) => f.name), via: best.kind };
        return { precision: 'municipality', areaId: muni.areaId, matched: found.map((f) => f.name), via: 'municipality' };
      }
    }
    return { precision: 'municipality', areaId: muni.areaId, matched: [], via: 'municipality' };
  }
  // a county-wide event: a municipality only when the text names exactly one
  const text = [head, body].join(' \n ').replace(/Stockholms\s+län/gu, ' ');
  const named = c.munis.filter((m) => m.re.test(text));
  if (named.length === 1) return { precision: 'municipality', areaId: c.g.municipalities.get(named[0].name)!.areaId, matched: [named[0].name], via: 'municipality' };
  return { precision: 'county', areaId: c.g.countyAreaId, matched: [] };
}
