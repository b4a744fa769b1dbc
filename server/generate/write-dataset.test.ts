// The generated demo dataset is reproducible and says it is synthetic: the same seed gives the same files byte for
// byte, another seed other rows; README and manifest label it SYNTHETIC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crimeLines, type GenerateOptions } from './model.js';
import { writeDataset } from './write-dataset.js';
import proj4 from 'proj4';
import * as turf from '@turf/turf';
import { resolveRegion } from '../domain/region/resolve-region.js';
import '../ingest/crs.js';

const take = (g: Iterable<string>) => [...g].join('\n');

describe('writing the generated dataset', () => {
  const o: GenerateOptions = { seed: '42', crimes: 3000 };
  it('gives the same files for the same seed and different ones for another seed', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-a-')), b = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-b-'));
    await writeDataset(a, o);
    await writeDataset(b, o);
    for (const f of fs.readdirSync(a)) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f).toBe(true);
    expect(take(crimeLines({ ...o, seed: '43' }))).not.toBe(take(crimeLines(o)));
    expect(fs.readFileSync(path.join(a, 'README.md'), 'utf8')).toMatch(/SYNTHETIC/);
    expect(JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8'))).toMatchObject({ synthetic: true, provider: 'synthetic', seed: '42' });
    fs.rmSync(a, { recursive: true }); fs.rmSync(b, { recursive: true });
  });
  it('for REGION=kommun:1480 writes Göteborg: every crime inside it, no Stockholm survey, the region in the manifest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-gbg-'));
    const gbg = resolveRegion('kommun:1480');
    await writeDataset(dir, { seed: '42', crimes: 500 }, () => {}, gbg);
    const rows = fs.readFileSync(path.join(dir, 'crimes.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(500);
    const poly = gbg.kommuner[0].feature;
    for (const r of rows) {
      const [x, y] = r.split(',').slice(-2).map(Number);
      expect(turf.booleanPointInPolygon(proj4('EPSG:3006', 'EPSG:4326', [x, y]), poly), r).toBe(true);
    }
    expect(fs.existsSync(path.join(dir, 'survey.csv'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ synthetic: true, region: 'kommun:1480' });
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/REGION=kommun:1480/);
    fs.rmSync(dir, { recursive: true });
  });
});
