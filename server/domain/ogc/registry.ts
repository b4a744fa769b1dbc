// The collections a principal may see, in a fixed order: every area set, the per-area statistics of every area set ×
// source, hotspot cells, platssamverkan places, and (analyst/admin only) incident points.
import type { Queryable } from '../../db/index.js';
import { listAreaSets } from '../areas/list-area-sets.js';
import { seesExactData, type Principal } from '../access/principal.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { forbidden, notFound } from '../problems.js';
import { areaSetCollection } from './collections/area-set.js';
import { hotspotsCollection } from './collections/hotspots.js';
import { incidentsCollection } from './collections/incidents.js';
import { placesCollection } from './collections/places.js';
import { statsCollection } from './collections/stats.js';
import { SOURCES } from '../../../shared/sources.js';
import type { OgcCollection } from './types.js';

/** studyArea: the hotspots collection's area set (the region's default set, app.region.defaultAreaSet) */
export type RegistryContext = { db: Queryable; principal: Principal; disclosure: Disclosure; studyArea: string };

export async function listCollections(ctx: RegistryContext, opts: { includeRestricted?: boolean } = {}): Promise<OgcCollection[]> {
  const sets = await listAreaSets(ctx.db);
  // the disclosure control exactly as /api/stats: exact figures for analyst/admin, the public view for everyone else
  const access = ctx.disclosure;
  const out: OgcCollection[] = sets.map((s) => areaSetCollection(ctx.db, s));
  for (const s of sets) for (const source of SOURCES) out.push(statsCollection(ctx.db, s, source, access));
  out.push(hotspotsCollection(ctx.db, access, ctx.studyArea));
  out.push(placesCollection(ctx.db));
  const incidents = incidentsCollection(ctx.db);
  if (opts.includeRestricted || seesExactData(ctx.principal)) out.push(incidents);
  return out;
}

/**
 * One collection by id. Unknown → 404; a restricted collection → 401 for the public (send a key), 403 for a role
 * that may not see it. The same answer whether or not it exists would be nicer, but the collection ids are public.
 */
export async function getCollection(ctx: RegistryContext, id: string): Promise<OgcCollection> {
  const all = await listCollections(ctx, { includeRestricted: true });
  const c = all.find((x) => x.id === id);
  if (!c) throw notFound(`No collection "${id}". GET /ogc/collections lists them.`);
  if (c.access === 'exact' && !seesExactData(ctx.principal)) {
    if (ctx.principal.role === 'public') throw forbidden(`Collection "${id}" needs the analyst or admin role: send an API key (Authorization: Bearer …).`, true);
    throw forbidden(`Your role (${ctx.principal.role}) may not read collection "${id}"; it needs analyst or admin.`);
  }
  return c;
}
