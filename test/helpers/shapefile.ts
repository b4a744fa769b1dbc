// A zipped Shapefile of boundaries as a provider sends one: five Stockholm districts (names with å, ä, ö) written by
// GDAL's ogr2ogr in EPSG:3006 (.shp, .shx, .dbf, .prj, .cpg) in a folder of a ZIP, and the same features as GeoJSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PROJECT_ROOT } from '../../server/config.js';

export const NAMES = ['SÖDERMALM', 'VÅRBERG', 'HÄSSELBY GÅRD', 'RINKEBY', 'HUSBY'];

export async function boundaryFiles(): Promise<{ zip: Buffer; geojson: string }> {
  const fc = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'data/stockholm/stadsdelar.geojson'), 'utf8'));
  fc.features = fc.features.filter((f: { properties: { name: string } }) => NAMES.includes(f.properties.name));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-shp-'));
  try {
    const src = path.join(dir, 'src.geojson');
    fs.writeFileSync(src, JSON.stringify(fc));
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:3006', '-lco', 'ENCODING=UTF-8', path.join(dir, 'omraden.shp'), src]);
    const zip = new JSZip();
    for (const f of fs.readdirSync(dir)) if (f.startsWith('omraden.')) zip.file(`gränser/${f}`, fs.readFileSync(path.join(dir, f)));
    return { zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), geojson: JSON.stringify(fc) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
