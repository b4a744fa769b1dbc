// The bundled national boundaries (okfse/sweden-geojson, data/sweden/): 290 municipalities with their kommunkod and
// länskod, and the 21 counties. Read once. The official county names are written out here: the file has short ones
// ("Stockholm"), and a county's name takes a genitive that no rule gives (Skåne län, Kalmar län, Stockholms län).
import fs from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { bundled } from '../bundled-files.js';

export type Boundary = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
export type Kommun = { code: string; name: string; lanCode: string; feature: Boundary };
export type County = { code: string; name: string; letter: string; feature: Boundary };

const COUNTIES: Record<string, [name: string, letter: string]> = {
  '01': ['Stockholms län', 'AB'], '03': ['Uppsala län', 'C'], '04': ['Södermanlands län', 'D'], '05': ['Östergötlands län', 'E'],
  '06': ['Jönköpings län', 'F'], '07': ['Kronobergs län', 'G'], '08': ['Kalmar län', 'H'], '09': ['Gotlands län', 'I'],
  10: ['Blekinge län', 'K'], 12: ['Skåne län', 'M'], 13: ['Hallands län', 'N'], 14: ['Västra Götalands län', 'O'],
  17: ['Värmlands län', 'S'], 18: ['Örebro län', 'T'], 19: ['Västmanlands län', 'U'], 20: ['Dalarnas län', 'W'],
  21: ['Gävleborgs län', 'X'], 22: ['Västernorrlands län', 'Y'], 23: ['Jämtlands län', 'Z'], 24: ['Västerbottens län', 'AC'],
  25: ['Norrbottens län', 'BD'],
};

let cache: { kommuner: Kommun[]; counties: County[] } | null = null;

function read(file: string): Boundary[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>).features as Boundary[];
}

export function nationalBoundaries(): { kommuner: Kommun[]; counties: County[] } {
  if (cache) return cache;
  const kommuner = read(bundled.kommuner).map((f) => ({
    code: String(f.properties.id), name: String(f.properties.kom_namn), lanCode: String(f.properties.lan_code).padStart(2, '0'), feature: f,
  }));
  const counties = read(bundled.lan).map((f) => {
    const code = String(f.properties.l_id).padStart(2, '0');
    const [name, letter] = COUNTIES[code] ?? [`${String(f.properties.name)} län`, code];
    return { code, name, letter, feature: f };
  }).sort((a, b) => a.code.localeCompare(b.code));
  cache = { kommuner, counties };
  return cache;
}
