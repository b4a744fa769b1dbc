// Search districts, basområden, the region's municipalities, metro stations and places by name: case- and accent-insensitive for Swedish
// letters (å, ä, ö match themselves and a, o), prefix matches first. Choosing a result flies there and selects it.
import type { Feature, FeatureCollection } from 'geojson';
import { api } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { areaSetIds, region } from '../api/region.js';
import { t } from '../i18n/index.js';
import { areaGeometry } from '../map/choropleth-data.js';
import { placesGeoJson } from '../map/overlays.js';
import { searchableSets } from '../state/region-start.js';
import { esc } from './dom.js';

export type SearchHit = { kind: 'area' | 'station' | 'place'; id: number; name: string; areaSet?: string; setLabel: string; bbox: [number, number, number, number] };

const fold = (s: string) => s.toLocaleLowerCase('sv').normalize('NFD').replace(/\p{M}/gu, '');

function bboxOf(f: Feature): [number, number, number, number] {
  let b: [number, number, number, number] = [180, 90, -180, -90];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') { const [x, y] = c as number[]; b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]; } else (c as unknown[]).forEach(walk);
  };
  walk((f.geometry as { coordinates: unknown }).coordinates);
  return b;
}

let index: Promise<SearchHit[]> | null = null;
function buildIndex(): Promise<SearchHit[]> {
  if (index) return index;
  index = (async () => {
    const hits: SearchHit[] = [];
    // only the sets this deployment has (Stockholm's exist only with 0180 in REGION), and its municipalities
    const sets = searchableSets([['stadsdelar', 'Stadsdel'], ['basomraden', 'Basområde'], ['stadsdelsomraden-2023', 'Stadsdelsområde']], areaSetIds(), region());
    const results = await Promise.allSettled([
      ...sets.map(([id]) => areaGeometry(id)),
      api<FeatureCollection>('/basemap/layers/metro.geojson'),
      capabilities().places ? placesGeoJson() : Promise.resolve({ type: 'FeatureCollection', features: [] } as FeatureCollection),
    ]);
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      for (const f of r.value.features) {
        const name = String(f.properties?.name ?? '');
        if (!name) continue;
        if (i < sets.length) hits.push({ kind: 'area', id: Number(f.id ?? f.properties?.id), name, areaSet: sets[i][0], setLabel: sets[i][1], bbox: bboxOf(f) });
        else if (i === sets.length) hits.push({ kind: 'station', id: Number(f.id ?? 0), name, setLabel: 'T-bana', bbox: bboxOf(f) });
        else hits.push({ kind: 'place', id: Number(f.id ?? f.properties?.id), name, setLabel: 'Platssamverkan', bbox: bboxOf(f) });
      }
    });
    return hits;
  })();
  index.catch(() => { index = null; });
  return index;
}

export async function searchNames(q: string, limit = 10): Promise<SearchHit[]> {
  const needle = fold(q.trim());
  if (!needle) return [];
  const all = await buildIndex();
  const scored = all.map((h) => { const n = fold(h.name); const i = n.indexOf(needle); return { h, score: i < 0 ? -1 : i === 0 ? 2 : n.includes(` ${needle}`) || n.includes(`-${needle}`) ? 1 : 0.5 }; })
    .filter((x) => x.score >= 0).sort((a, b) => b.score - a.score || a.h.name.length - b.h.name.length);
  return scored.slice(0, limit).map((x) => x.h);
}

/** A combobox: type, arrow keys to move, Enter to choose, Esc to close. */
export function mountSearch(input: HTMLInputElement, list: HTMLElement, onChoose: (h: SearchHit) => void): void {
  let hits: SearchHit[] = [];
  let active = -1;
  const render = () => {
    list.hidden = !input.value.trim();
    list.innerHTML = hits.length ? hits.map((h, i) => `<li role="option" id="sr-${i}" aria-selected="${i === active}" data-i="${i}"><span>${esc(h.name)}</span><small>${esc(h.setLabel)}</small></li>`).join('') : `<li class="muted" role="option" aria-disabled="true">${t('search.none')}</li>`;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `sr-${active}`); else input.removeAttribute('aria-activedescendant');
  };
  const choose = (i: number) => { const h = hits[i]; if (!h) return; list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.value = h.name; onChoose(h); };
  input.addEventListener('focus', () => { void buildIndex(); });
  input.addEventListener('input', async () => { hits = await searchNames(input.value); active = hits.length ? 0 : -1; render(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { active = Math.min(hits.length - 1, active + 1); render(); e.preventDefault(); } else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); render(); e.preventDefault(); } else if (e.key === 'Enter') { choose(active); e.preventDefault(); } else if (e.key === 'Escape') { list.hidden = true; }
  });
  list.addEventListener('mousedown', (e) => { const li = (e.target as HTMLElement).closest('li[data-i]') as HTMLElement | null; if (li) { e.preventDefault(); choose(Number(li.dataset.i)); } });
  input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 150));
}
