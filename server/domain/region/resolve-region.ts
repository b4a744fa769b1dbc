// A REGION spec (shared/region-spec.ts) resolved against the national boundaries: the municipalities it covers, the
// counties they lie in, its bounding box, a Swedish label and the ids of its reference area sets. The default region
// (lan:01) keeps the ids it always had (lan-stockholm, kommuner-ab), so existing deployments and links stay valid.
import * as turf from '@turf/turf';
import { DEFAULT_REGION, formatRegionSpec, parseRegionSpec } from '../../../shared/region-spec.js';
import { REFERENCE_SETS } from '../bundled-files.js';
import { nationalBoundaries, type County, type Kommun } from './national-boundaries.js';

export type Region = {
  /** canonical spec, e.g. 'kommun:1480' */
  spec: string;
  /** 'Göteborg', 'Stockholms län', 'Göteborg och Mölndal', 'Sverige' */
  label: string;
  kommuner: Kommun[];
  counties: County[];
  /** WGS84 [west, south, east, north] of its municipalities */
  bbox: [number, number, number, number];
  countySetId: string;
  kommunSetId: string;
  /** Stockholm city (0180) is in it: the bundled district sets (stadsdelar, basområden …) and the detailed sample */
  stockholmCity: boolean;
  /** the area set a map or a request without one starts on: the finest bundled one */
  defaultAreaSet: string;
};

export class RegionError extends Error {}

function listing(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}`;
}

const resolved = new Map<string, Region>();

/** The region of a spec, resolved once per spec (start-up, every app built, the CLI ask for it): read only. */
export function resolveRegion(spec: string = DEFAULT_REGION): Region {
  let r = resolved.get(spec);
  if (!r) { r = resolveUncached(spec); resolved.set(spec, r); }
  return r;
}

function resolveUncached(spec: string): Region {
  const parsed = parseRegionSpec(spec);
  if (!parsed.ok) throw new RegionError(parsed.message);
  const { kommuner: all, counties: allCounties } = nationalBoundaries();
  const chosen = new Map<string, Kommun>();
  const labels: string[] = [];
  const idParts: string[] = [];
  for (const p of parsed.parts) {
    if (p.kind === 'sverige') {
      for (const k of all) chosen.set(k.code, k);
      labels.push('Sverige'); idParts.push('sverige');
    } else if (p.kind === 'lan') {
      const c = allCounties.find((x) => x.code === p.code);
      if (!c) throw new RegionError(`REGION lan:${p.code}: no county has länskod ${p.code} (they are ${allCounties.map((x) => x.code).join(', ')})`);
      for (const k of all.filter((x) => x.lanCode === p.code)) chosen.set(k.code, k);
      labels.push(c.name); idParts.push(c.letter.toLowerCase());
    } else {
      const k = all.find((x) => x.code === p.code);
      if (!k) throw new RegionError(`REGION kommun:${p.code}: no municipality has kommunkod ${p.code} (e.g. 0180 Stockholm, 1480 Göteborg, 1280 Malmö)`);
      chosen.set(k.code, k);
      labels.push(k.name); idParts.push(k.code);
    }
  }
  const kommuner = all.filter((k) => chosen.has(k.code)); // in the file's order, as the areas were always loaded
  const lanCodes = new Set(kommuner.map((k) => k.lanCode));
  const counties = allCounties.filter((c) => lanCodes.has(c.code));
  const canonical = formatRegionSpec(parsed.parts);
  const isDefault = canonical === DEFAULT_REGION;
  const national = idParts.includes('sverige');
  const stockholmCity = chosen.has('0180');
  const kommunSetId = isDefault ? REFERENCE_SETS.kommuner : `kommuner-${national ? 'sverige' : [...new Set(idParts)].join('-')}`;
  const countySetId = counties.length === 1 && counties[0].code === '01' ? REFERENCE_SETS.county
    : `lan-${national ? 'sverige' : counties.map((c) => c.letter.toLowerCase()).join('-')}`;
  const box = turf.bbox(turf.featureCollection(kommuner.map((k) => k.feature)));
  return {
    spec: canonical, label: national ? 'Sverige' : listing([...new Set(labels)]), kommuner, counties,
    bbox: [box[0], box[1], box[2], box[3]], countySetId, kommunSetId, stockholmCity,
    defaultAreaSet: stockholmCity ? REFERENCE_SETS.stadsdelar : kommunSetId,
  };
}
