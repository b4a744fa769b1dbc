// The labelled-synthetic demo data loaded on first start when SAMPLE_DATA=on (see server/generate/).
// Filled in by the imports work: generated crimes, shootings, guard reports, citizen reports, survey, places.
import type { Db } from '../db/index.js';

export async function ensureSampleData(db: Db, log: (msg: string) => void = () => {}): Promise<void> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  if (r.rows[0].n > 0) return;
  log('no incidents yet; sample data generation is not available in this build');
}
