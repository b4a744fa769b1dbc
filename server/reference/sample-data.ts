// The labelled-synthetic demo data loaded on first start when SAMPLE_DATA=on (the default for the embedded
// backend) and the database has no incidents yet: ~50,000 crimes over 2023-01-01 … 2025-12-31 plus shootings,
// guard reports, citizen reports and three survey waves, generated in memory with a fixed seed (server/generate/)
// and loaded through the same importers as any file, as provider "synthetic" (ids SYN-…). Logged as synthetic.
import { Readable } from 'node:stream';
import type { Db } from '../db/index.js';
import type { ImportKind } from '../ingest/import-options.js';
import { importOptionsSchema } from '../ingest/import-options.js';
import { runImport } from '../ingest/run-import.js';
import { categoryLines, citizenLines, crimeLines, guardLines, indicatorLines, Places, shootingLines, surveyLines, type GenerateOptions } from '../generate/model.js';

export const SAMPLE: GenerateOptions = {
  seed: 'trygghetskarta-sample-1', crimes: Number(process.env.SAMPLE_CRIMES ?? 50_000), shootings: 150, guardReports: 5_000, citizenReports: 2_500,
  from: '2023-01-01', to: '2025-12-31',
};

function text(lines: Iterable<string>): Readable {
  let s = '';
  for (const l of lines) s += l + '\n';
  return Readable.from([Buffer.from(s)]);
}

export async function ensureSampleData(db: Db, log: (msg: string) => void = () => {}): Promise<void> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  if (r.rows[0].n > 0) return;
  const t0 = Date.now();
  const places = new Places();
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
    await load('survey', surveyLines(SAMPLE, places.world), { areaSet: 'stadsdelar', waveName: undefined }),
  ];
  log(`loaded SYNTHETIC sample data (not real events; provider "synthetic", ids SYN-…, seed ${SAMPLE.seed}): ${done.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // other modules' sample data (e.g. platssamverkan places) is added below this line
  await (await import('./sample-places.js')).ensureSamplePlaces(db, log);
}
