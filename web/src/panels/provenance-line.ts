// The provenance line on the map: where the visible figures come from, up to which day the data reach, and a clear
// badge while the incidents are the synthetic sample data (never mistaken for real crimes). Read from the same
// response meta the choropleth was drawn from, so it always describes what is on the map. Aggregated counts (import
// kind area-counts: counts per area and month, quarter or year) say so, with their files and when they were imported.
import { addDays } from '../../../shared/dates.js';
import { periodLabel } from '../../../shared/periods.js';
import { t } from '../i18n/index.js';
import type { ChoroData } from '../map/choropleth-data.js';
import type { State } from '../state/store.js';
import { esc } from './dom.js';

type Batch = { provider?: string; lastOccurred?: string; incidents?: number };
type Aggregated = { granularity: 'month' | 'quarter' | 'year'; dataTo: string; complete?: boolean; batches?: { fileName: string | null; importedAt: string }[] };

/** meta.aggregated of /api/stats when the figures are aggregated counts, else null. */
export function aggregatedOf(meta: Record<string, unknown> | undefined): Aggregated | null {
  const a = meta?.aggregated as Aggregated | null | undefined;
  return a && typeof a === 'object' && a.granularity ? a : null;
}

/** "aggregerade antal per månad ur brott-2025.xlsx (importerad 30 nov 2026)", the last day they reach and whether they cover the period. */
export function aggregatedParts(a: Aggregated, lang: 'sv' | 'en'): string[] {
  const day = (d: string) => periodLabel({ from: d, to: addDays(d, 1) }, lang);
  const files = (a.batches ?? []).map((b) => `${b.fileName ?? '–'} (${t('prov.imported', { date: day(b.importedAt.slice(0, 10)) })})`).join(', ');
  const parts = [t('prov.aggregated', { per: t(`agg.${a.granularity}`), files })];
  parts.push(t('prov.until', { date: day(addDays(a.dataTo, -1)) }));
  if (a.complete === false) parts.push(t('prov.incomplete'));
  return parts;
}

/** The batches behind the figures, the last day they reach (inclusive) and whether any of them is synthetic. */
export function provenanceOf(meta: Record<string, unknown> | undefined): { lastDay: string | null; synthetic: boolean } {
  const batches = ((meta?.provenance as { incidentBatches?: Batch[] } | undefined)?.incidentBatches ?? []).filter((b) => (b.incidents ?? 1) > 0);
  const last = batches.map((b) => (b.lastOccurred ?? '').slice(0, 10)).filter(Boolean).sort().pop() ?? null;
  return { lastDay: last, synthetic: batches.some((b) => b.provider === 'synthetic') };
}

export function renderProvenance(el: HTMLElement, s: State, d: ChoroData | null): void {
  if (s.metric === 'survey') {
    el.innerHTML = d?.survey?.wave ? esc(t('prov.survey', { wave: d.survey.wave })) : '';
    return;
  }
  const meta = d?.meta as Record<string, unknown> | undefined;
  const agg = aggregatedOf(meta);
  if (agg) {
    el.innerHTML = esc([`${t('prov.source')}: ${t(`source.${s.source}`)}`, ...aggregatedParts(agg, s.lang)].join(' · '));
    return;
  }
  const { lastDay, synthetic } = provenanceOf(meta);
  const parts = [`${t('prov.source')}: ${t(`source.${s.source}`)}`];
  if (lastDay) parts.push(t('prov.until', { date: periodLabel({ from: lastDay, to: addDays(lastDay, 1) }, s.lang) }));
  el.innerHTML = `${synthetic ? `<strong class="badge-synthetic" title="${esc(t('prov.syntheticTitle'))}">${esc(t('prov.synthetic'))}</strong><span class="sr"> (${esc(t('prov.syntheticTitle'))})</span> ` : ''}${esc(parts.join(' · '))}`;
}
