// Section 5, ongoing platssamverkan: the places lying in the area (interior point inside), their SMART goals with
// the status the places domain computes, their measures, and the before/after follow-up verdict of /api/places/:id/evaluation.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { evaluatePlace } from '../places/evaluate-place.js';
import { listGoals } from '../places/goal-store.js';
import type { AreaInfo } from './report-area.js';
import type { Lang, PlaceStatus } from './types.js';

type Q = { area: AreaInfo; lang: Lang; principal: Principal; disclosure: Disclosure; surveyMinRespondents: number; evaluate: boolean };

export async function placesSection(db: Queryable, q: Q, note: (k: string, t: string) => void): Promise<PlaceStatus[]> {
  const r = await db.query<{ id: number; name: string; status: string; start_date: string | null; end_date: string | null; measures: number; synthetic: boolean }>(
    `SELECT p.id, p.name, p.status, p.start_date::text, p.end_date::text, p.synthetic,
            (SELECT count(*) FROM place_measures m WHERE m.place_id = p.id)::int AS measures
     FROM places p JOIN areas a ON a.id = $1
     WHERE a.geom && p.geom AND ST_Intersects(a.geom, ST_PointOnSurface(p.geom))
     ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END, p.name LIMIT 50`, [q.area.id]);
  const out: PlaceStatus[] = [];
  for (const p of r.rows) {
    const id = Number(p.id);
    let goals: PlaceStatus['goals'] = [];
    try {
      goals = (await listGoals(db, id, { principal: q.principal, disclosure: q.disclosure, surveyMinRespondents: q.surveyMinRespondents }))
        .map((g) => ({ description: g.description, status: g.status, deadline: g.deadline }));
    } catch { /* goals stay empty; the place is still listed */ }
    // the before/after evaluation (difference-in-differences, WDD) is a heavy analysis per place (seconds on the
    // embedded database): only when asked for (evaluate=true), else the report points to its endpoint
    let verdict: string | null = null, verdictText: string | null = null;
    if (q.evaluate) {
      try {
        const e = await evaluatePlace(db, id, { source: 'crimes', categories: null, disclosure: q.disclosure });
        verdict = e.verdict;
        verdictText = e.sentence[q.lang];
      } catch (e) {
        verdictText = q.lang === 'sv' ? `Ingen uppföljning: ${(e as Error).message}` : `No follow-up: ${(e as Error).message}`;
      }
    } else {
      verdictText = `GET /api/places/${id}/evaluation`;
    }
    out.push({ id, name: p.name, status: p.status, startDate: p.start_date, endDate: p.end_date, goals, measures: Number(p.measures), verdict, verdictText });
  }
  if (r.rows.some((p) => p.synthetic)) note('places', q.lang === 'sv' ? 'Platserna är syntetiska demodata.' : 'The places are synthetic demo data.');
  if (out.length) {
    note('places', q.lang === 'sv'
      ? 'Uppföljningen jämför brott i platsen före och efter start mot en kontroll (skillnad-i-skillnader och WDD), som /api/places/{id}/evaluation.'
      : 'The follow-up compares crimes in the place before and after its start with a control (difference-in-differences and WDD), as /api/places/{id}/evaluation.');
  }
  return out;
}
