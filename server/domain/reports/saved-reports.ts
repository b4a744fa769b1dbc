// Saved lägesbilder: a frozen snapshot of the content (numbers as they were, data version recorded) plus the staff's
// text, which stays editable. The law asks for an update at least every other year: an area whose latest saved
// lägesbild is older than two years (or that has none) is `stale`. Every save of the staff text is a kept version
// (report-versions.ts); `version` is the current one's number, version 1 being written with the report.
import type { Queryable } from '../../db/index.js';
import { addYears } from '../period/resolve-period.js';
import { changedStaffFields, emptyStaffText, type StaffText } from './staff-text.js';
import type { LagesbildContent } from './types.js';

/** A saved snapshot keeps the public (suppressed) content, and the exact content only when an exact viewer saved it. */
export type Snapshot = { public: LagesbildContent; exact?: LagesbildContent };

export type SavedReportMeta = {
  id: number; areaId: number; areaSetId: string | null; areaCode: string | null; areaName: string | null;
  title: string; periodFrom: string; periodTo: string; lang: string; reportDate: string; dataVersion: number;
  createdBy: string; createdAt: string; updatedAt: string; updatedBy: string | null; hasExact: boolean; stale: boolean;
  /** the current staff-text version (1 when saved, +1 per save) and the name of the key that saved it */
  version: number; updatedByName: string | null;
};

export type SavedReport = SavedReportMeta & { snapshot: Snapshot; staffText: StaffText };

/** Today in Stockholm, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Stale: the lägesbild is dated more than two years before today (lag 2023:196: update at least every other year). */
export function isStale(reportDate: string | null, today = localToday()): boolean {
  return reportDate === null || reportDate < addYears(today, -2);
}

type Row = {
  id: number; area_id: number; area_set_id: string | null; code: string | null; name: string | null; title: string;
  period_from: string; period_to: string; lang: string; report_date: string; data_version: number; created_by: string;
  created_at: Date; updated_at: Date; updated_by: string | null; has_exact: boolean; version: number; updated_by_name: string | null;
};

const META_COLS = `s.id, s.area_id, coalesce(s.area_set_id, a.area_set_id) AS area_set_id, a.code, a.name, s.title, s.period_from::text,
  s.period_to::text, s.lang, s.report_date::text, s.data_version, s.created_by, s.created_at, s.updated_at, s.updated_by,
  (s.snapshot ? 'exact') AS has_exact, s.version, ${actorNameSql('s.updated_by')} AS updated_by_name`;

/** The name of the API key an actor string ('key:12', see the reports route) stands for; null for anything else. */
export function actorNameSql(col: string): string {
  return `(SELECT k.name FROM api_keys k WHERE 'key:' || k.id::text = ${col})`;
}

function meta(r: Row, today: string): SavedReportMeta {
  return {
    id: Number(r.id), areaId: Number(r.area_id), areaSetId: r.area_set_id, areaCode: r.code, areaName: r.name, title: r.title,
    periodFrom: r.period_from, periodTo: r.period_to, lang: r.lang, reportDate: r.report_date, dataVersion: Number(r.data_version),
    createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by,
    hasExact: Boolean(r.has_exact), stale: isStale(r.report_date, today), version: Number(r.version), updatedByName: r.updated_by_name,
  };
}

export async function insertSavedReport(db: Queryable, input: {
  areaId: number; areaSetId: string; title: string; periodFrom: string; periodTo: string; lang: string; reportDate?: string;
  dataVersion: number; snapshot: Snapshot; staffText: StaffText; createdBy: string;
}): Promise<number> {
  // the report and its staff text's version 1, in one statement
  const r = await db.query<{ id: number }>(
    `WITH s AS (
       INSERT INTO saved_reports (area_id, area_set_id, title, period_from, period_to, lang, report_date, data_version, snapshot, staff_text, created_by, updated_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::date, (now() AT TIME ZONE 'Europe/Stockholm')::date), $8, $9, $10, $11, $11, 1)
       RETURNING id, title, staff_text, updated_by, updated_at)
     INSERT INTO saved_report_versions (report_id, version, title, staff_text, saved_by, saved_at, changed)
     SELECT id, 1, title, staff_text, updated_by, updated_at, $12::text[] FROM s RETURNING report_id AS id`,
    [input.areaId, input.areaSetId, input.title, input.periodFrom, input.periodTo, input.lang, input.reportDate ?? null,
      input.dataVersion, input.snapshot, input.staffText, input.createdBy,
      [...(input.title ? ['title'] : []), ...changedStaffFields(emptyStaffText(), input.staffText)]]);
  return Number(r.rows[0].id);
}

export async function getSavedReport(db: Queryable, id: number): Promise<SavedReport | null> {
  const r = await db.query<Row & { snapshot: Snapshot; staff_text: StaffText }>(
    `SELECT ${META_COLS}, s.snapshot, s.staff_text FROM saved_reports s LEFT JOIN areas a ON a.id = s.area_id WHERE s.id = $1`, [id]);
  if (!r.rows.length) return null;
  const x = r.rows[0];
  return { ...meta(x, localToday()), snapshot: x.snapshot, staffText: x.staff_text };
}

/** The area's latest action plan in brief (the city's overview): its status, priorities, and measures by status. */
export type PlanBrief = { id: number; status: string; priorities: number; measures: Record<string, number> };

export type AreaReportStatus = {
  areaId: number; areaSetId: string; code: string; name: string;
  reportCount: number; latestReportId: number | null; latestReportDate: string | null; stale: boolean;
  latestActionPlan: PlanBrief | null;
};

/**
 * The saved reports (newest first) and, per area, the date of its latest lägesbild and whether it is stale.
 * With areaSet every area of the set is listed, also those that have none (stale: no lägesbild at all).
 */
export async function listSavedReports(db: Queryable, filter: { areaSetId?: string; areaId?: number }, today = localToday()): Promise<{ areas: AreaReportStatus[]; reports: SavedReportMeta[] }> {
  const reports = await db.query<Row>(
    `SELECT ${META_COLS} FROM saved_reports s LEFT JOIN areas a ON a.id = s.area_id
     WHERE ($1::text IS NULL OR coalesce(s.area_set_id, a.area_set_id) = $1) AND ($2::bigint IS NULL OR s.area_id = $2)
     ORDER BY s.report_date DESC, s.id DESC LIMIT 5000`, [filter.areaSetId ?? null, filter.areaId ?? null]);
  const areas = await db.query<{ id: number; area_set_id: string; code: string; name: string; n: number; latest_id: number | null; latest: string | null; plan: PlanBrief | null }>(
    `SELECT x.*, (SELECT json_build_object('id', p.id, 'status', p.status,
                    'priorities', jsonb_array_length(coalesce(p.plan->'priorities', '[]'::jsonb)),
                    'measures', coalesce((SELECT jsonb_object_agg(st, n) FROM (SELECT m->>'status' AS st, count(*) AS n
                      FROM jsonb_array_elements(coalesce(p.plan->'measures', '[]'::jsonb)) m GROUP BY 1) ms), '{}'::jsonb))
                  FROM action_plans p WHERE p.area_id = x.id ORDER BY p.updated_at DESC, p.id DESC LIMIT 1) AS plan
     FROM (
       SELECT a.id, a.area_set_id, a.code, a.name, count(s.id)::int AS n,
              (array_agg(s.id ORDER BY s.report_date DESC, s.id DESC))[1] AS latest_id, max(s.report_date)::text AS latest
       FROM areas a LEFT JOIN saved_reports s ON s.area_id = a.id
       WHERE ($1::text IS NOT NULL AND a.area_set_id = $1 AND ($2::bigint IS NULL OR a.id = $2))
          OR ($1::text IS NULL AND ($2::bigint IS NULL AND s.id IS NOT NULL OR a.id = $2))
       GROUP BY a.id, a.area_set_id, a.code, a.name) x
     ORDER BY x.name, x.code`, [filter.areaSetId ?? null, filter.areaId ?? null]);
  return {
    areas: areas.rows.map((a) => ({
      areaId: Number(a.id), areaSetId: a.area_set_id, code: a.code, name: a.name, reportCount: a.n,
      latestReportId: a.latest_id === null ? null : Number(a.latest_id), latestReportDate: a.latest, stale: isStale(a.latest, today),
      latestActionPlan: a.plan ? { id: Number(a.plan.id), status: a.plan.status, priorities: Number(a.plan.priorities), measures: Object.fromEntries(Object.entries(a.plan.measures ?? {}).map(([k, v]) => [k, Number(v)])) } : null,
    })),
    reports: reports.rows.map((r) => meta(r, today)),
  };
}
