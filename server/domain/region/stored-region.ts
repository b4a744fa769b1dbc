// The deployment's region as the database holds it (migration 041): written at start from REGION, read by whatever
// has only a database at hand (the importers' extent check, reports, the API's region answer).
import type { Queryable } from '../../db/index.js';
import type { Region } from './resolve-region.js';

export type StoredRegion = Pick<Region, 'spec' | 'label' | 'countySetId' | 'kommunSetId' | 'defaultAreaSet' | 'bbox'>;

export async function saveRegion(db: Queryable, r: Region): Promise<void> {
  await db.query(
    `INSERT INTO deployment_region (spec, label, county_set_id, kommun_set_id, default_area_set_id, bbox) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (only_row) DO UPDATE SET spec = $1, label = $2, county_set_id = $3, kommun_set_id = $4, default_area_set_id = $5, bbox = $6, updated_at = now()
     WHERE (deployment_region.spec, deployment_region.default_area_set_id) IS DISTINCT FROM ($1, $5)`,
    [r.spec, r.label, r.countySetId, r.kommunSetId, r.defaultAreaSet, r.bbox]);
}

/** The stored region, or null in a database no start has written one to yet. */
export async function storedRegion(db: Queryable): Promise<StoredRegion | null> {
  const r = await db.query<{ spec: string; label: string; county_set_id: string; kommun_set_id: string; default_area_set_id: string; bbox: number[] }>(
    'SELECT spec, label, county_set_id, kommun_set_id, default_area_set_id, bbox FROM deployment_region');
  const x = r.rows[0];
  if (!x) return null;
  return { spec: x.spec, label: x.label, countySetId: x.county_set_id, kommunSetId: x.kommun_set_id, defaultAreaSet: x.default_area_set_id,
    bbox: x.bbox.map(Number) as StoredRegion['bbox'] };
}
