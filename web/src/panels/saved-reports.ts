// A saved lägesbild as the area panel and the section 7 editor show it: its list entry and "who saved it when".
import { getLang, t } from '../i18n/index.js';

export type SavedReportMeta = {
  id: number; areaId: number; areaName: string | null; title: string; periodFrom: string; periodTo: string; reportDate: string;
  updatedAt: string; updatedBy: string | null; updatedByName: string | null; version: number; stale: boolean;
};

/** A moment as people read it, in Stockholm time: "12 mars 2026 14:05". */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(getLang() === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
}

/** "Version 3, sparad av <who> <when>". */
export function savedByText(r: { version: number; updatedByName: string | null; updatedBy: string | null; updatedAt: string }): string {
  return t('lb.savedBy', { version: r.version, who: r.updatedByName ?? r.updatedBy ?? '–', when: formatWhen(r.updatedAt) });
}
