// How the survey figures of an area of any set are obtained from the survey areas (the area set a wave is
// reported for, e.g. the 117 stadsdelar):
//   own            the area is a survey area;
//   containing     the area lies inside one survey area (its interior point in it, and at most TOLERANCE of its
//                  surface outside it): that survey area's figures, shown under that area's name — never as the
//                  area's own (a basområde inside Husby gets "Trygghetsmätningen redovisas för Husby, som omfattar …");
//   pooled         the area contains several survey areas: the strata are the survey areas whose interior point lies
//                  in it, and they must match it — |area Δ ∪ strata| ≤ TOLERANCE·|area|: the parts of the strata
//                  outside the area plus the part of the area no stratum covers — then the population-weighted
//                  stratified estimate over them (survey-pooling.ts);
//   not-available  anything else: survey areas overlap the area only in part (they are listed), or none covers it.
// The tolerance absorbs borders drawn from different sources: the bundled district areas match the stadsdelar
// within 2–10 % of their surface (Järva 5 %, Enskede-Årsta-Vantör 9 %), while the 2020 Rinkeby-Kista and
// Spånga-Tensta, which split Akalla and Husby, miss by 24 %; most basområden lie within 15 % in one stadsdel.
import type { Queryable } from '../../db/index.js';
import { memo } from '../data-version/memo.js';
import { areaPopulation } from '../population/area-population.js';
import type { SurveyBasis, SurveyBasisKind } from './survey-schema.js';

export const SURVEY_MISMATCH_TOLERANCE = 0.15;

export type Overlap = { surveyId: number; interM2: number; surveyM2: number; surveyPointInArea: boolean; areaPointInSurvey: boolean };
export type BasisGeometry = { kind: SurveyBasisKind; from: number | null; strata: number[]; overlapping: number[]; mismatch: number | null };

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The basis of one area (surface areaM2) from its overlaps with the survey areas. Pure. */
export function classifyBasis(areaM2: number, overlaps: Overlap[], tol = SURVEY_MISMATCH_TOLERANCE): BasisGeometry {
  const outer = overlaps.find((o) => o.areaPointInSurvey);
  if (outer && (areaM2 - outer.interM2) <= tol * areaM2) {
    return { kind: 'containing', from: outer.surveyId, strata: [], overlapping: [], mismatch: round3(Math.max(0, areaM2 - outer.interM2) / areaM2) };
  }
  const inside = overlaps.filter((o) => o.surveyPointInArea);
  const mismatch = (areaM2 - inside.reduce((s, o) => s + o.interM2, 0) + inside.reduce((s, o) => s + (o.surveyM2 - o.interM2), 0)) / areaM2;
  if (inside.length && mismatch <= tol) {
    return { kind: 'pooled', from: null, strata: inside.map((o) => o.surveyId).sort((a, b) => a - b), overlapping: [], mismatch: round3(Math.max(0, mismatch)) };
  }
  // survey areas that share more than a sliver (1 % of the smaller surface) with the area
  const overlapping = overlaps.filter((o) => o.interM2 >= 0.01 * Math.min(areaM2, o.surveyM2)).map((o) => o.surveyId).sort((a, b) => a - b);
  return { kind: 'not-available', from: null, strata: [], overlapping, mismatch: overlapping.length ? round3(Math.min(1, mismatch)) : null };
}

/** The basis geometry of the areas of a set (or of the given ones) against a survey area set; memoized per data version. */
export async function basisGeometry(db: Queryable, setId: string, surveySetId: string, areaIds?: number[]): Promise<Map<number, BasisGeometry>> {
  const key = `survey-basis|${setId}|${surveySetId}|${areaIds ? [...areaIds].sort((a, b) => a - b).join(',') : '*'}`;
  return memo(db, key, async () => {
    const ids = await db.query<{ id: number; area_m2: number }>(
      `SELECT id, area_m2 FROM areas WHERE area_set_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2)) ORDER BY id`, [setId, areaIds ?? null]);
    const out = new Map<number, BasisGeometry>();
    if (setId === surveySetId) {
      for (const a of ids.rows) out.set(Number(a.id), { kind: 'own', from: Number(a.id), strata: [], overlapping: [], mismatch: 0 });
      return out;
    }
    const r = await db.query<{ area_id: number; survey_id: number; s_m2: number; inter_m2: number; s_in_a: boolean; a_in_s: boolean }>(
      `WITH a AS (SELECT id, geom, area_m2, ST_PointOnSurface(geom) AS p FROM areas WHERE area_set_id = $1 AND ($3::bigint[] IS NULL OR id = ANY($3))),
            s AS (SELECT id, geom, area_m2, ST_PointOnSurface(geom) AS p FROM areas WHERE area_set_id = $2)
       SELECT a.id AS area_id, s.id AS survey_id, s.area_m2 AS s_m2,
              CASE WHEN ST_Covers(a.geom, s.geom) THEN s.area_m2 WHEN ST_Covers(s.geom, a.geom) THEN a.area_m2
                   ELSE ST_Area(ST_Intersection(ST_MakeValid(a.geom), ST_MakeValid(s.geom))) END AS inter_m2,
              ST_Covers(a.geom, s.p) AS s_in_a, ST_Covers(s.geom, a.p) AS a_in_s
       FROM a JOIN s ON a.geom && s.geom AND ST_Intersects(a.geom, s.geom)`, [setId, surveySetId, areaIds ?? null]);
    const byArea = new Map<number, Overlap[]>();
    for (const x of r.rows) {
      const list = byArea.get(Number(x.area_id)) ?? [];
      list.push({ surveyId: Number(x.survey_id), interM2: Number(x.inter_m2), surveyM2: Number(x.s_m2), surveyPointInArea: x.s_in_a, areaPointInSurvey: x.a_in_s });
      byArea.set(Number(x.area_id), list);
    }
    for (const a of ids.rows) out.set(Number(a.id), classifyBasis(Number(a.area_m2), byArea.get(Number(a.id)) ?? []));
    return out;
  });
}

type AreaRef = { areaId: number; code: string; name: string };

/** "A, B och C"; a long list (a whole city's districts) names the first ten and how many more (the basis lists them all). */
function list(names: string[], lang: 'sv' | 'en'): string {
  if (names.length > 12) return `${names.slice(0, 10).join(', ')} ${lang === 'sv' ? `och ${names.length - 10} till` : `and ${names.length - 10} more`}`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${lang === 'sv' ? 'och' : 'and'} ${names.at(-1)}`;
}

/** The basis in a sentence (Swedish and English). */
export function basisText(kind: SurveyBasisKind, area: { name: string }, b: { surveyArea: AreaRef | null; strata: AreaRef[]; overlapping: AreaRef[]; populationYear: number | null }): { sv: string; en: string } {
  const names = (xs: AreaRef[]) => xs.map((x) => x.name);
  switch (kind) {
    case 'own':
      return { sv: `Trygghetsmätningen redovisas för ${area.name}.`, en: `The safety survey is reported for ${area.name}.` };
    case 'containing': {
      const s = b.surveyArea!.name;
      return {
        sv: `Trygghetsmätningen redovisas för ${s}, som omfattar ${area.name}. Värdena gäller hela ${s}, inte ${area.name} för sig.`,
        en: `The safety survey is reported for ${s}, which includes ${area.name}. The values are for all of ${s}, not for ${area.name} alone.`,
      };
    }
    case 'pooled': {
      const year = b.populationYear === null ? '' : ` ${b.populationYear}`;
      return {
        sv: `Trygghetsmätningen redovisas för de ${b.strata.length} områden som ${area.name} består av (${list(names(b.strata), 'sv')}). Värdena för ${area.name} är deras `
          + `medelvärde vägt med folkmängden${year} (stratifierad skattning); antalet svarande är summan.`,
        en: `The safety survey is reported for the ${b.strata.length} areas ${area.name} consists of (${list(names(b.strata), 'en')}). The values for ${area.name} are their `
          + `mean weighted by population${year} (a stratified estimate); the respondents are their sum.`,
      };
    }
    default:
      return b.overlapping.length
        ? {
          sv: `Trygghetsmätningen redovisas för områden som bara delvis ligger i ${area.name} (${list(names(b.overlapping), 'sv')}), så den finns inte på den här nivån.`,
          en: `The safety survey is reported for areas that lie only partly in ${area.name} (${list(names(b.overlapping), 'en')}), so it is not available at this level.`,
        }
        : { sv: `Trygghetsmätningen täcker inte ${area.name}.`, en: `The safety survey does not cover ${area.name}.` };
  }
}

/** The full basis (names, weights, sentence) of the given areas of a set against a survey set for a wave's year. */
export async function surveyBases(db: Queryable, setId: string, surveySetId: string, waveYear: number, areaIds?: number[]): Promise<Map<number, SurveyBasis>> {
  const geo = await basisGeometry(db, setId, surveySetId, areaIds);
  const names = new Map((await db.query<{ id: number; code: string; name: string; area_set_id: string }>(
    `SELECT id, code, name, area_set_id FROM areas WHERE area_set_id = $1 OR (area_set_id = $2 AND ($3::bigint[] IS NULL OR id = ANY($3)))`,
    [surveySetId, setId, areaIds ?? null])).rows.map((x) => [Number(x.id), { areaId: Number(x.id), code: x.code, name: x.name }]));
  const pooledAny = [...geo.values()].some((g) => g.kind === 'pooled');
  const pop = pooledAny ? await areaPopulation(db, surveySetId, waveYear) : null;
  const out = new Map<number, SurveyBasis>();
  for (const [id, g] of geo) {
    const ref = (x: number) => names.get(x)!;
    const strata = g.strata.map((x) => ({ ...ref(x), population: pop?.byArea.get(x) ?? null })).sort((x, y) => x.name.localeCompare(y.name, 'sv'));
    const surveyArea = g.from === null ? null : ref(g.from);
    const overlapping = g.overlapping.map(ref).sort((x, y) => x.name.localeCompare(y.name, 'sv'));
    out.set(id, {
      kind: g.kind, surveyAreaSetId: surveySetId, surveyArea, strata, overlapping, mismatch: g.mismatch,
      population: g.kind === 'pooled' && pop ? { areaSetId: surveySetId, year: pop.year, source: pop.source } : null,
      text: basisText(g.kind, ref(id), { surveyArea, strata, overlapping, populationYear: pop?.year ?? null }),
    });
  }
  return out;
}

/** The basis when no survey wave exists at all. */
export function noSurveyBasis(area: { name: string }): SurveyBasis {
  return { kind: 'not-available', surveyAreaSetId: null, surveyArea: null, strata: [], overlapping: [], mismatch: null, population: null,
    text: basisText('not-available', area, { surveyArea: null, strata: [], overlapping: [], populationYear: null }) };
}
