// Section 5, ongoing platssamverkan: the places lying in the area (interior point inside), their SMART goals with
// the status the places domain computes, their measures, and the before/after follow-up (the places domain's
// evaluation: its verdict sentence, the counts before and after and the rate ratio with its CI).
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { evaluatePlace } from '../places/evaluate-place.js';
import { listGoals } from '../places/goal-store.js';
import type { AreaInfo } from './report-area.js';
import { disclosureKey, memoPart } from './report-memo.js';
import type { Lang, PlaceFollowUp, PlaceStatus } from './types.js';

/** version: the data version the report reads (the evaluations are memoised per version, place and privacy view) */
type Q = { area: AreaInfo; lang: Lang; principal: Principal; disclosure: Disclosure; surveyMinRespondents: number; evaluate: boolean; version?: number };

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
    // embedded database); a caller may leave it out (evaluate=false), and the report then says so in words
    let verdict: string | null = null, verdictText: string | null = null, followUp: PlaceFollowUp | null = null;
    if (!q.evaluate) {
      verdictText = q.lang === 'sv' ? 'Uppföljningen före/efter är inte beräknad i den här versionen av rapporten.' : 'The before/after follow-up was not computed for this version of the report.';
    } else if (!p.start_date) {
      verdictText = q.lang === 'sv' ? 'Ingen uppföljning: platsen har inget startdatum.' : 'No follow-up: the place has no start date.';
    } else {
      try {
        // a pure function of the data (a place edit bumps the version) and the viewer's privacy view; both languages' sentences
        const e = await memoPart(db, `place-evaluation|${id}|${disclosureKey(q.disclosure)}`, q.version,
          () => evaluatePlace(db, id, { source: 'crimes', categories: null, disclosure: q.disclosure }));
        verdict = e.verdict;
        verdictText = e.sentence[q.lang];
        const rr = e.differenceInDifferences.place;
        followUp = {
          before: { from: e.before.from, to: e.before.to }, after: { from: e.after.from, to: e.after.to }, controlName: e.control.name,
          placeBefore: e.counts.place.before, placeAfter: e.counts.place.after,
          ratio: rr?.ratio ?? null, ciLow: rr?.ciLow ?? null, ciHigh: rr?.ciHigh ?? null, significant: rr?.significant ?? false,
        };
      } catch {
        verdictText = q.lang === 'sv' ? 'Uppföljningen kunde inte beräknas för den här perioden.' : 'The follow-up could not be computed for this period.';
      }
    }
    out.push({ id, name: p.name, status: p.status, startDate: p.start_date, endDate: p.end_date, goals, measures: Number(p.measures), verdict, verdictText, followUp });
  }
  if (r.rows.some((p) => p.synthetic)) note('places', q.lang === 'sv' ? 'Platserna är syntetiska demodata.' : 'The places are synthetic demo data.');
  if (out.length) {
    note('places', q.lang === 'sv'
      ? 'Uppföljningen jämför anmälda brott i platsen året före starten med tiden efter, mot utvecklingen i stadsdelen runt platsen (skillnad-i-skillnader); en förändring kallas säkerställd bara när kvotens 95 % konfidensintervall utesluter 1. Samma beräkning som platsens uppföljning i kartan.'
      : 'The follow-up compares reported crimes in the place in the year before its start with the time after, against the trend in the district around it (difference-in-differences); a change is called significant only when the 95 % confidence interval of the ratio excludes 1. The same computation as the place\'s follow-up in the map.');
  }
  return out;
}
