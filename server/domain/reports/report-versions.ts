// The staff text of a saved lägesbild, saved with versions. Every save keeps the text as it then was — who saved it,
// when, and which fields changed — in saved_report_versions (version 1 is written with the report, see
// saved-reports.ts); saved_reports holds the current text and its version number.
// Concurrent edits: a save names the version it was made from (`baseVersion`). When another save came in between,
// nothing is written and the caller hears who saved which version when (a conflict), so no text is silently
// overwritten; the other save's text is a version like any other, so saving again on top of it loses nothing either.
import { z } from 'zod';
import type { Db, Queryable } from '../../db/index.js';
import { conflict, notFound } from '../problems.js';
import { actorNameSql } from './saved-reports.js';
import {
  changedStaffFields, mergeStaffText, STAFF_TEXT_FIELDS, StaffTextSchema, type StaffText, type StaffTextPatch,
} from './staff-text.js';

const CHANGED_FIELDS = ['title', ...STAFF_TEXT_FIELDS] as const;

/** One kept version of a saved lägesbild's staff text, without the text. */
export const StaffTextVersionSchema = z.object({
  version: z.number().int().describe('1 when the lägesbild was saved, +1 for every save of its staff text'),
  current: z.boolean().describe('this is the text the report shows now'),
  title: z.string(),
  savedBy: z.string().describe('who saved it: key:<id> (the API key), as in the audit log'),
  savedByName: z.string().nullable().describe('the name of that API key (GET /api/keys), if it is one'),
  savedAt: z.string().describe('when (ISO 8601)'),
  changed: z.array(z.enum(CHANGED_FIELDS)).describe('the fields this version changed against the one before it (version 1: the fields filled in when saving)'),
});
export type StaffTextVersion = z.infer<typeof StaffTextVersionSchema>;

export const StaffTextVersionListSchema = z.object({
  reportId: z.number(),
  currentVersion: z.number(),
  versions: z.array(StaffTextVersionSchema).describe('newest first'),
});
export type StaffTextVersionList = z.infer<typeof StaffTextVersionListSchema>;

/** One version with its text. */
export const StaffTextVersionDetailSchema = StaffTextVersionSchema.extend({ reportId: z.number(), staffText: StaffTextSchema });
export type StaffTextVersionDetail = z.infer<typeof StaffTextVersionDetailSchema>;

type VersionRow = { version: number; current: boolean; title: string; saved_by: string; saved_by_name: string | null; saved_at: Date; changed: string[] };

const VERSION_COLS = `v.version, (v.version = s.version) AS current, v.title, v.saved_by, ${actorNameSql('v.saved_by')} AS saved_by_name, v.saved_at, v.changed`;

function version(r: VersionRow): StaffTextVersion {
  return {
    version: Number(r.version), current: Boolean(r.current), title: r.title, savedBy: r.saved_by, savedByName: r.saved_by_name,
    savedAt: r.saved_at.toISOString(), changed: r.changed.filter((c): c is (typeof CHANGED_FIELDS)[number] => (CHANGED_FIELDS as readonly string[]).includes(c)),
  };
}

export async function listStaffTextVersions(db: Queryable, reportId: number): Promise<StaffTextVersionList> {
  const cur = await db.query<{ version: number }>('SELECT version FROM saved_reports WHERE id = $1', [reportId]);
  if (!cur.rows.length) throw notFound(`No saved report ${reportId}. GET /api/reports lists them.`);
  const r = await db.query<VersionRow>(
    `SELECT ${VERSION_COLS} FROM saved_report_versions v JOIN saved_reports s ON s.id = v.report_id
     WHERE v.report_id = $1 ORDER BY v.version DESC`, [reportId]);
  return { reportId, currentVersion: Number(cur.rows[0].version), versions: r.rows.map(version) };
}

export async function getStaffTextVersion(db: Queryable, reportId: number, n: number): Promise<StaffTextVersionDetail> {
  const r = await db.query<VersionRow & { staff_text: unknown }>(
    `SELECT ${VERSION_COLS}, v.staff_text FROM saved_report_versions v JOIN saved_reports s ON s.id = v.report_id
     WHERE v.report_id = $1 AND v.version = $2`, [reportId, n]);
  if (!r.rows.length) throw notFound(`Saved report ${reportId} has no version ${n}. GET /api/reports/${reportId}/versions lists them.`);
  return { reportId, ...version(r.rows[0]), staffText: StaffTextSchema.parse(r.rows[0].staff_text ?? {}) };
}

export type SaveStaffText = {
  reportId: number;
  /** what to change: only the fields sent */
  patch?: StaffTextPatch;
  title?: string;
  /** the version the edit was made from; when another save came in between, nothing is saved (conflict) */
  baseVersion?: number;
  /** who saves: key:<id> */
  savedBy: string;
};

export type SaveResult = { version: number; changed: string[] };

/**
 * Saves the staff text (and title) of a saved lägesbild as a new version, in one transaction with the row locked:
 * two saves from the same base version cannot both pass. A save that changes nothing writes no version.
 */
export async function saveStaffText(db: Db, s: SaveStaffText): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{ version: number; title: string; staff_text: unknown; updated_by: string | null; updated_by_name: string | null; updated_at: Date }>(
      `SELECT s.version, s.title, s.staff_text, s.updated_by, ${actorNameSql('s.updated_by')} AS updated_by_name, s.updated_at
       FROM saved_reports s WHERE s.id = $1 FOR UPDATE`, [s.reportId]);
    if (!r.rows.length) throw notFound(`No saved report ${s.reportId}. GET /api/reports lists them.`);
    const cur = r.rows[0];
    const current = Number(cur.version);
    if (s.baseVersion !== undefined && s.baseVersion !== current) {
      const who = cur.updated_by_name ?? cur.updated_by ?? 'someone';
      throw conflict(
        `This lägesbild was saved again (version ${current}, by ${who} at ${cur.updated_at.toISOString()}) after the version ${s.baseVersion} ` +
        'your edit started from, so your text was not saved. Nothing is lost: compare with the current version ' +
        `(GET /api/reports/${s.reportId}/versions/${current}), then save again with baseVersion ${current}.`,
        { currentVersion: current, baseVersion: s.baseVersion, savedBy: cur.updated_by, savedByName: cur.updated_by_name, savedAt: cur.updated_at.toISOString() });
    }
    const before: StaffText = StaffTextSchema.parse(cur.staff_text ?? {});
    const after = s.patch ? mergeStaffText(before, s.patch) : before;
    const title = s.title ?? cur.title;
    const changed = [...(title !== cur.title ? ['title'] : []), ...changedStaffFields(before, after)];
    if (!changed.length) return { version: current, changed };
    const next = current + 1;
    await tx.query(
      `UPDATE saved_reports SET staff_text = $2, title = $3, updated_at = now(), updated_by = $4, version = $5 WHERE id = $1`,
      [s.reportId, after, title, s.savedBy, next]);
    await tx.query(
      `INSERT INTO saved_report_versions (report_id, version, title, staff_text, saved_by, saved_at, changed)
       VALUES ($1, $2, $3, $4, $5, now(), $6::text[])`,
      [s.reportId, next, title, after, s.savedBy, changed]);
    return { version: next, changed };
  });
}
