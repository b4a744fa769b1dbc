// Polisen's event types → our sources and categories. Shootings become `shootings` (outcome read from the
// text); crime types become crime categories; everything else (traffic, summaries, rescue, checks …) is skipped
// and counted. Traffic offences (Rattfylleri, Trafikbrott) are left out on purpose: they say little about safety
// in a place.
export type PolisenMapping = { source: 'shootings'; confirmed: boolean } | { source: 'crimes'; category: string } | { source: null };

const CRIME: Record<string, string> = {
  'Misshandel': 'misshandel', 'Misshandel, grov': 'misshandel', 'Misshandel grov': 'misshandel',
  'Mord/dråp': 'mord-drap', 'Mord/dråp, försök': 'mord-drap',
  'Olaga hot': 'olaga-hot', 'Våld/hot mot tjänsteman': 'vald-mot-tjansteman', 'Ofredande/förargelse': 'ofredande',
  'Våldtäkt': 'sexualbrott', 'Våldtäkt, försök': 'sexualbrott', 'Sexualbrott': 'sexualbrott', 'Sedlighetsbrott': 'sexualbrott',
  'Rån': 'ran', 'Rån, försök': 'ran', 'Rån övrigt': 'ran', 'Rån väpnat': 'ran', 'Rån mot butik': 'ran',
  'Stöld': 'stold', 'Stöld, försök': 'stold', 'Häleri': 'stold',
  'Stöld/inbrott': 'inbrott', 'Inbrott': 'inbrott', 'Inbrott, försök': 'inbrott',
  'Motorfordon, stöld': 'fordonsstold',
  'Skadegörelse': 'skadegorelse', 'Sabotage mot blåljusverksamhet': 'skadegorelse',
  'Narkotikabrott': 'narkotika',
  'Bedrägeri': 'bedrageri', 'Åldringsbrott': 'bedrageri',
  'Vapenlagen': 'vapen', 'Knivlagen': 'vapen',
  'Explosion': 'explosion', 'Detonation': 'explosion', 'Bombhot': 'explosion',
  'Brand': 'brand', 'Mordbrand': 'brand',
  'Olaga frihetsberövande/människorov': 'ovrigt', 'Hemfridsbrott': 'ovrigt', 'Olaga intrång': 'ovrigt', 'Hets mot folkgrupp': 'ovrigt',
};

export function mapPolisenType(type: string): PolisenMapping {
  const t = type.trim();
  if (t === 'Skottlossning') return { source: 'shootings', confirmed: true };
  if (t === 'Skottlossning, misstänkt') return { source: 'shootings', confirmed: false };
  const c = CRIME[t];
  return c ? { source: 'crimes', category: c } : { source: null };
}

/** killed / injured from the text (dödad, avliden … / skadad, skjuten …), else unknown. */
export function shootingOutcome(text: string): 'killed' | 'injured' | 'unknown' {
  const t = text.toLowerCase();
  if (/(?<![\p{L}])(dödad\p{L}*|dödats|avliden|avlidit|avled|omkom\p{L}*|dödsskjut\p{L}*|dog|död)(?![\p{L}])/u.test(t)) return 'killed';
  if (/(?<![\p{L}])(skadad\p{L}*|skadats|skadades|skadas|skottskadad\p{L}*|skjuten|skjutits|sköts|träffad\p{L}*|träffats)(?![\p{L}])/u.test(t)) return 'injured';
  return 'unknown';
}
