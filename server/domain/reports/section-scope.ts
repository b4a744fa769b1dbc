// Section 2, the scope of crime: every figure is taken from areaStats (the same function /api/stats answers from),
// for the report's area row and the set's total row (the city reference), so the report and the API agree.
import type { Queryable } from '../../db/index.js';
import type { Source } from '../../../shared/sources.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { areaStats, type AreaStatsFigures, type AreaStatsResult } from '../area-stats/area-stats.js';
import type { SourceProfile } from '../profile/area-profile.js';
import type { CategoryFigure, ChangeFigure, Lang, SourceFigure } from './types.js';
import { TEXTS } from './texts.js';

export type StatsCtx = { db: Queryable; areaSetId: string; areaId: number; from: string; to: string; disclosure: Disclosure; lang: Lang };

export async function statsFor(c: StatsCtx, source: Source, categories?: string[]): Promise<{ result: AreaStatsResult; row: AreaStatsFigures | null }> {
  const result = await areaStats(c.db, { areaSetId: c.areaSetId, source, categories, from: c.from, to: c.to }, { disclosure: c.disclosure });
  const row = result.rows.find((r) => r.areaId === c.areaId) ?? null;
  return { result, row };
}

export function change(f: AreaStatsFigures | null): ChangeFigure {
  return {
    count: f?.count ?? null, suppressed: f?.suppressed ?? false, ratePer1000: f?.ratePer1000 ?? null,
    previousCount: f?.previousCount ?? null, previousSuppressed: f?.previousSuppressed ?? false,
    rateRatio: f?.rateRatio ?? null, ciLow: f?.rateRatioCiLow ?? null, ciHigh: f?.rateRatioCiHigh ?? null,
    changeSignificant: f?.changeSignificant ?? false,
  };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** A source's row of the area profile (the same figures as /api/stats) as the report shows it. */
export function sourceFigure(p: SourceProfile, lang: Lang): SourceFigure {
  const vs = p.vsRestOfSet;
  return {
    source: p.source, label: TEXTS[lang].sources[p.source] ?? p.source, ...change(p.area), unplaced: p.area.unplacedAtThisLevel,
    city: { count: p.city.count, ratePer1000: p.city.ratePer1000 },
    vsCity: vs.available && vs.ratio !== null && vs.ciLow !== null && vs.ciHigh !== null
      ? { rateRatio: r4(vs.ratio), ciLow: r4(vs.ciLow), ciHigh: r4(vs.ciHigh), significant: vs.significant } : null,
  };
}

type Cat = { code: string; label_sv: string | null; label_en: string | null; grp: string | null };

/** The categories of a source that occur in the area's set (rollup), with their declared labels and groups. */
export async function categoriesOf(db: Queryable, source: string, areaSetId: string): Promise<Cat[]> {
  const r = await db.query<Cat>(
    `SELECT x.code, c.label_sv, c.label_en, c.grp FROM (
       SELECT DISTINCT category AS code FROM area_day_counts WHERE area_set_id = $2 AND source = $1) x
     LEFT JOIN categories c ON c.source = $1 AND c.code = x.code ORDER BY x.code`, [source, areaSetId]);
  return r.rows;
}

/** Crimes by category group: one areaStats call per group (its category codes), like /api/stats?category=a,b,… */
export async function crimeGroups(c: StatsCtx): Promise<CategoryFigure[]> {
  const cats = await categoriesOf(c.db, 'crimes', c.areaSetId);
  const groups = new Map<string, { label: string; codes: string[] }>();
  for (const x of cats) {
    const g = x.grp ?? x.code;
    const label = x.grp ? groupLabel(x.grp, c.lang) : (c.lang === 'en' ? x.label_en : x.label_sv) ?? x.code;
    const e = groups.get(g) ?? { label, codes: [] };
    e.codes.push(x.code);
    groups.set(g, e);
  }
  const out: CategoryFigure[] = [];
  for (const [code, g] of groups) {
    const { result, row } = await statsFor(c, 'crimes', g.codes);
    out.push({ code, label: g.label, codes: g.codes, ...change(row), cityRatePer1000: result.total.ratePer1000 });
  }
  return out.sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || a.label.localeCompare(b.label, 'sv'));
}

/** One row per category code (shootings by outcome, guard interventions by type), in the given order. */
export async function byCategory(c: StatsCtx, source: Source, order: string[], labels: Record<string, string>): Promise<CategoryFigure[]> {
  const cats = await categoriesOf(c.db, source, c.areaSetId);
  const codes = [...new Set([...order.filter((o) => cats.some((x) => x.code === o)), ...cats.map((x) => x.code)])];
  const out: CategoryFigure[] = [];
  for (const code of codes) {
    const { result, row } = await statsFor(c, source, [code]);
    const declared = cats.find((x) => x.code === code);
    const label = labels[code] ?? (c.lang === 'en' ? declared?.label_en : declared?.label_sv) ?? code;
    out.push({ code, label, ...change(row), cityRatePer1000: result.total.ratePer1000 });
  }
  return out;
}

export const SHOOTING_OUTCOMES = ['killed', 'injured', 'none', 'unknown'];
export const GUARD_INTERVENTIONS = ['avvisning', 'avlagsnande', 'omhandertagande', 'lob', 'gripande', 'rapport', 'annan'];

/** A readable label for a group code ("vald" → "Våld"); known groups of the bundled generator and Brå's main groups. */
const GROUP_LABELS: Record<string, { sv: string; en: string }> = {
  vald: { sv: 'Våldsbrott', en: 'Violent crime' }, 'vald-mot-person': { sv: 'Våld mot person', en: 'Violence against the person' },
  stold: { sv: 'Stöld', en: 'Theft' }, 'stold-och-snatteri': { sv: 'Stöld och snatteri', en: 'Theft and shoplifting' },
  skadegorelse: { sv: 'Skadegörelse', en: 'Criminal damage' }, narkotika: { sv: 'Narkotikabrott', en: 'Drug offences' },
  ran: { sv: 'Rån', en: 'Robbery' }, bedrageri: { sv: 'Bedrägeri', en: 'Fraud' }, sexualbrott: { sv: 'Sexualbrott', en: 'Sexual offences' },
  inbrott: { sv: 'Inbrott', en: 'Burglary' }, ofredande: { sv: 'Ofredande och hot', en: 'Harassment and threats' },
  hot: { sv: 'Hot', en: 'Threats' }, vapen: { sv: 'Vapenbrott', en: 'Weapons offences' }, trafik: { sv: 'Trafikbrott', en: 'Traffic offences' },
  ordning: { sv: 'Ordningsstörning', en: 'Public order' }, allmanfarligt: { sv: 'Allmänfarliga brott', en: 'Crimes endangering the public' }, ovrigt: { sv: 'Övriga brott', en: 'Other offences' }, other: { sv: 'Övriga brott', en: 'Other offences' },
};

export function groupLabel(grp: string, lang: Lang): string {
  const known = GROUP_LABELS[grp.toLowerCase()];
  if (known) return known[lang];
  const s = grp.replace(/[-_.]+/g, ' ').trim();
  return s.charAt(0).toLocaleUpperCase('sv-SE') + s.slice(1);
}
