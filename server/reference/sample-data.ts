// The labelled-synthetic demo data loaded on first start when SAMPLE_DATA=on (the default for the embedded
// backend) and the database has no incidents yet: ~50,000 crimes over 2023-01-01 … 2025-12-31 plus shootings,
// guard reports, citizen reports and three survey waves, generated in memory with a fixed seed (server/generate/)
// and loaded through the same importers as any file, as provider "synthetic" (ids SYN-…). Logged as synthetic.
// The sample follows the deployment's region (REGION, stored at start): Stockholm's detailed model for Stockholm
// city in Stockholms län, else spread over the region's municipalities (server/generate/region-places.ts). The
// survey (over Stockholm's stadsdelar) and the platssamverkan places (Husby, Rinkeby …) come only with Stockholm city.
import { Readable } from 'node:stream';
import type { Db } from '../db/index.js';
import type { ImportKind } from '../ingest/import-options.js';
import { importOptionsSchema } from '../ingest/import-options.js';
import { runImport } from '../ingest/run-import.js';
import { categoryLines, citizenLines, crimeLines, guardLines, indicatorLines, shootingLines, surveyLines, type GenerateOptions } from '../generate/model.js';
import { loadWorld } from '../generate/world.js';
import { placesFor } from '../generate/region-places.js';
import { resolveRegion, type Region } from '../domain/region/resolve-region.js';
import { storedRegion } from '../domain/region/stored-region.js';

export const SAMPLE: GenerateOptions = {
  seed: 'trygghetskarta-sample-1', crimes: Number(process.env.SAMPLE_CRIMES ?? 50_000), shootings: 150, guardReports: 5_000, citizenReports: 2_500,
  from: '2023-01-01', to: '2025-12-31',
};

function text(lines: Iterable<string>): Readable {
  let s = '';
  for (const l of lines) s += l + '\n';
  return Readable.from([Buffer.from(s)]);
}

/** The region the database was started for (the default when no start has stored one). */
async function regionOf(db: Db): Promise<Region> {
  const stored = await storedRegion(db);
  return resolveRegion(stored?.spec);
}

export async function ensureSampleData(db: Db, log: (msg: string) => void = () => {}, region?: Region): Promise<void> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  if (r.rows[0].n > 0) return;
  const t0 = Date.now();
  const reg = region ?? await regionOf(db);
  const places = placesFor(reg);
  const load = async (kind: ImportKind, lines: Iterable<string>, extra: Record<string, unknown> = {}) => {
    const options = importOptionsSchema.parse({ provider: 'synthetic', ...extra });
    const s = await runImport(db, { kind, input: text(lines), fileName: `synthetic-sample/${kind}.csv`, options, importedBy: 'system:sample-data' });
    return `${kind} ${s.inserted}`;
  };
  const done = [
    await load('categories', categoryLines()),
    await load('crimes', crimeLines(SAMPLE, places)),
    await load('shootings', shootingLines(SAMPLE, places)),
    await load('guard-reports', guardLines(SAMPLE, places)),
    await load('citizen-reports', citizenLines(SAMPLE, places)),
    await load('indicators', indicatorLines()),
  ];
  // the survey's areas are Stockholm's stadsdelar, loaded only when the region has Stockholm city
  if (reg.stockholmCity) done.push(await load('survey', surveyLines(SAMPLE, loadWorld()), { areaSet: 'stadsdelar', waveName: undefined }));
  log(`loaded SYNTHETIC sample data for ${reg.label} (not real events; provider "synthetic", ids SYN-…, seed ${SAMPLE.seed}): ${done.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // other modules' sample data (e.g. platssamverkan places, at Stockholm's metro stations) is added below this line
  if (reg.stockholmCity) await (await import('./sample-places.js')).ensureSamplePlaces(db, log);
}
