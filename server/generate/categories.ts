// The crime category codes used by the generator, the police-event mapping and migration 002's seed:
// code, Swedish and English label, group (the crime groups a lägesbild reports on).
export type CrimeCategory = { code: string; labelSv: string; labelEn: string; group: string };

export const CRIME_CATEGORIES: CrimeCategory[] = [
  { code: 'misshandel', labelSv: 'Misshandel', labelEn: 'Assault', group: 'vald' },
  { code: 'mord-drap', labelSv: 'Mord och dråp (inkl. försök)', labelEn: 'Murder and manslaughter (incl. attempts)', group: 'vald' },
  { code: 'olaga-hot', labelSv: 'Olaga hot', labelEn: 'Unlawful threats', group: 'vald' },
  { code: 'vald-mot-tjansteman', labelSv: 'Våld eller hot mot tjänsteman', labelEn: 'Violence or threats against a public official', group: 'vald' },
  { code: 'ofredande', labelSv: 'Ofredande', labelEn: 'Molestation', group: 'vald' },
  { code: 'sexualbrott', labelSv: 'Sexualbrott', labelEn: 'Sexual offences', group: 'sexualbrott' },
  { code: 'ran', labelSv: 'Rån', labelEn: 'Robbery', group: 'ran' },
  { code: 'stold', labelSv: 'Stöld', labelEn: 'Theft', group: 'stold' },
  { code: 'fickstold', labelSv: 'Fickstöld', labelEn: 'Pickpocketing', group: 'stold' },
  { code: 'cykelstold', labelSv: 'Cykelstöld', labelEn: 'Bicycle theft', group: 'stold' },
  { code: 'inbrott', labelSv: 'Inbrott', labelEn: 'Burglary', group: 'stold' },
  { code: 'fordonsstold', labelSv: 'Stöld av och ur fordon', labelEn: 'Theft of and from vehicles', group: 'stold' },
  { code: 'skadegorelse', labelSv: 'Skadegörelse', labelEn: 'Criminal damage', group: 'skadegorelse' },
  { code: 'klotter', labelSv: 'Klotter', labelEn: 'Graffiti', group: 'skadegorelse' },
  { code: 'narkotika', labelSv: 'Narkotikabrott', labelEn: 'Drug offences', group: 'narkotika' },
  { code: 'bedrageri', labelSv: 'Bedrägeri', labelEn: 'Fraud', group: 'bedrageri' },
  { code: 'vapen', labelSv: 'Vapen- och knivbrott', labelEn: 'Weapons and knife offences', group: 'vapen' },
  { code: 'explosion', labelSv: 'Sprängning, detonation', labelEn: 'Explosion, detonation', group: 'allmanfarligt' },
  { code: 'brand', labelSv: 'Brand, mordbrand', labelEn: 'Fire, arson', group: 'allmanfarligt' },
  { code: 'ovrigt', labelSv: 'Övriga brott', labelEn: 'Other offences', group: 'ovrigt' },
];
