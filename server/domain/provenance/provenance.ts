// Which import batches the numbers come from: the incident batches of the source whose incidents fall in the
// requested span, the area set's boundary batch and the population batch. Cached per data version.
// The public (and staff) see a batch's first and last event only to the month (publicProvenance, publicEventSpan):
// the exact minute of the first or last shooting is itself a disclosure.
import type { Queryable } from '../../db/index.js';
import { monthLastDay, monthStart } from '../../../shared/dates.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';
import { memo } from '../data-version/memo.js';
import type { BatchRef, Provenance } from './provenance-schema.js';

export type { BatchRef, Provenance };

type BatchSpan = BatchRef & { lo: number; hi: number };

async function incidentBatches(db: Queryable, source: string, version?: number): Promise<BatchSpan[]> {
  return memo(db, `batches|${source}`, async () => {
    const r = await db.query<{ id: number | null; kind: string | null; provider: string | null; file_name: string | null; created_at: Date | null; n: number; lo: Date; hi: Date }>(
      `SELECT s.batch_id AS id, b.kind, b.provider, b.file_name, b.created_at, s.n, s.lo, s.hi FROM (
         SELECT batch_id, count(*)::int AS n, min(occurred_from) AS lo, max(occurred_from) AS hi FROM incidents WHERE source = $1 GROUP BY batch_id) s
       LEFT JOIN import_batches b ON b.id = s.batch_id ORDER BY s.batch_id NULLS LAST`, [source]);
    return r.rows.map((x) => ({
      id: x.id === null ? 0 : Number(x.id), kind: x.kind ?? 'unknown', provider: x.provider ?? 'unknown', fileName: x.file_name,
      importedAt: x.created_at ? new Date(x.created_at).toISOString() : '', incidents: Number(x.n),
      firstOccurred: new Date(x.lo).toISOString(), lastOccurred: new Date(x.hi).toISOString(),
      lo: new Date(x.lo).getTime(), hi: new Date(x.hi).getTime(),
    }));
  }, version);
}

async function batchRefs(db: Queryable, ids: number[]): Promise<BatchRef[]> {
  if (!ids.length) return [];
  const r = await db.query<{ id: number; kind: string; provider: string; file_name: string | null; created_at: Date }>(
    `SELECT id, kind, provider, file_name, created_at FROM import_batches WHERE id = ANY($1) ORDER BY id`, [ids]);
  return r.rows.map((x) => ({ id: Number(x.id), kind: x.kind, provider: x.provider, fileName: x.file_name, importedAt: new Date(x.created_at).toISOString() }));
}

export async function provenance(db: Queryable, q: { source: string; areaSetId: string; spanFrom: Date; spanTo: Date; populationBatchIds: number[] }, version?: number): Promise<Provenance> {
  const all = await incidentBatches(db, q.source, version);
  const lo = q.spanFrom.getTime(), hi = q.spanTo.getTime();
  const used = all.filter((b) => b.hi >= lo && b.lo < hi).map(({ lo: _l, hi: _h, ...b }) => b);
  const set = await memo(db, `setbatch|${q.areaSetId}`, async () => {
    const r = await db.query<{ batch_id: number | null }>('SELECT batch_id FROM area_sets WHERE id = $1', [q.areaSetId]);
    const id = r.rows[0]?.batch_id;
    return id ? (await batchRefs(db, [Number(id)]))[0] ?? null : null;
  }, version);
  const pop = await memo(db, `popbatch|${q.populationBatchIds.join(',')}`, () => batchRefs(db, q.populationBatchIds), version);
  return { incidentBatches: used, areaSetBatch: set, populationBatches: pop };
}

const localDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: LOCAL_TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The local (Europe/Stockholm) calendar day of an instant, YYYY-MM-DD (a plain YYYY-MM-DD is taken as that local day). */
export function localDay(t: Date | string): string {
  if (typeof t === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const parts = Object.fromEntries(localDayFormat.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The span of some events as the public may see it: dates only, the first day of the local month of the first event
 * and the last day of the local month of the last one (both inclusive). Takes instants or local days.
 */
export function publicEventSpan(first: Date | string | null, last: Date | string | null): { first: string | null; last: string | null } {
  return { first: first === null ? null : monthStart(localDay(first)), last: last === null ? null : monthLastDay(localDay(last)) };
}

/** The public view of provenance: a batch's incident count only when it is not small, its span only to the month (publicEventSpan). */
export function publicProvenance(p: Provenance, k: number): Provenance {
  const pub = (b: BatchRef): BatchRef => {
    const { incidents, firstOccurred, lastOccurred, ...rest } = b;
    const span = publicEventSpan(firstOccurred || null, lastOccurred || null);
    return { ...rest, ...(incidents !== undefined && !(incidents > 0 && incidents < k) ? { incidents } : {}),
      ...(span.first ? { firstOccurred: span.first } : {}), ...(span.last ? { lastOccurred: span.last } : {}) };
  };
  return { ...p, incidentBatches: p.incidentBatches.map(pub) };
}

