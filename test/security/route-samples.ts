// Enumerates the API from its own OpenAPI document (/docs/json) and fills in sample path and query values, so the
// security tests cover every route — including routes added after these tests were written.
import type { FastifyInstance } from 'fastify';

export type ParamSpec = { name: string; in: 'query' | 'path'; required: boolean; schema: { type?: string; enum?: unknown[]; default?: unknown; anyOf?: unknown[] } };
export type Operation = { method: string; path: string; params: ParamSpec[] };
export type SampleCtx = { areaId: number; placeId: number; tile: { z: number; x: number; y: number }; values: Record<string, string> };

/** Routes that are infrastructure, not data (docs UI assets, the web app's static files). */
const SKIP = [/^\/docs/, /^\/\*/, /^\/$/, /^\/assets/];

export async function operations(app: FastifyInstance): Promise<Operation[]> {
  const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, { parameters?: ParamSpec[] }>> };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (SKIP.some((s) => s.test(path))) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      out.push({ method: method.toUpperCase(), path, params: (op.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path') });
    }
  }
  return out;
}

/** A plausible value for a path parameter, by route and name. */
export function pathValue(path: string, name: string, ctx: SampleCtx): string {
  if (ctx.values[`${path}:${name}`]) return ctx.values[`${path}:${name}`];
  if (name === 'z') return String(ctx.tile.z);
  if (name === 'x') return String(ctx.tile.x);
  if (name === 'y') return String(ctx.tile.y);
  if (name === 'layer') return 'hexbins';
  if (name === 'kind') return 'crimes';
  if (name === 'collectionId') return 'stadsdelar';
  if (name === 'featureId') return String(ctx.areaId);
  if (name === 'fontstack') return 'Noto Sans Regular';
  if (name === 'range') return '0-255.pbf';
  if (/area-sets\/\{id\}/.test(path) && name === 'id') return 'stadsdelar';
  if (/places\/\{id\}/.test(path)) return String(ctx.placeId);
  if (/areas\/\{id\}/.test(path)) return String(ctx.areaId);
  if (/id$/i.test(name)) return String(ctx.areaId);
  return '1';
}

export function fillPath(op: Operation, ctx: SampleCtx): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(pathValue(op.path, n, ctx)));
}

/** A plausible value for a query parameter: the context's bag first, else an enum's first value, else nothing. */
export function queryValue(op: Operation, p: ParamSpec, ctx: SampleCtx): string | undefined {
  if (ctx.values[p.name] !== undefined) return ctx.values[p.name];
  const e = p.schema?.enum ?? (p.schema?.anyOf as { enum?: unknown[] }[] | undefined)?.find((s) => s.enum)?.enum;
  if (e?.length) return String(e[0]);
  if (p.required) return p.schema?.type === 'integer' || p.schema?.type === 'number' ? '1' : 'x';
  return undefined;
}

export function sampleUrl(op: Operation, ctx: SampleCtx, override: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const v = p.name in override ? override[p.name] : queryValue(op, p, ctx);
    if (v !== undefined) qs.set(p.name, v);
  }
  const s = qs.toString();
  return fillPath(op, ctx) + (s ? `?${s}` : '');
}

/** Every enum value of a route's `f` (format) parameter. */
export function formats(op: Operation): string[] {
  const f = op.params.find((p) => p.name === 'f' && p.in === 'query');
  const e = f?.schema?.enum ?? (f?.schema?.anyOf as { enum?: unknown[] }[] | undefined)?.find((s) => s.enum)?.enum;
  return e ? e.map(String) : [];
}

/** lon/lat → slippy tile. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}
