// Which requests the audit trail records by itself (an onResponse hook), so that a new route
// is covered without remembering to call recordAudit: every successful change by a signed-in role (imports, edits,
// deletions, key management) and every successful request for point data (the incidents tile layer, the incidents
// OGC collection, point exports). Only the route pattern, its parameters and the query filter are kept.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PUBLIC } from '../domain/access/principal.js';
import { recordAudit } from '../domain/audit/record-audit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Record every successful GET of this route in the audit trail (point data). */
    auditPoints?: boolean;
  }
}

type AuditableRequest = { method: string; routeUrl: string | undefined; url: string; statusCode: number; role: string };

/** Routes serving individual incident points (any format). A route may also opt in with config { auditPoints: true }. */
const POINT_ROUTES = [/^\/tiles\/incidents(\/|\.|$)/, /^\/ogc\/collections\/incidents/, /^\/api\/incidents/];

function auditActionFor(r: AuditableRequest, optIn = false): 'change' | 'point-data' | null {
  if (r.statusCode >= 400 || !r.routeUrl) return null;
  if (r.routeUrl.startsWith('/api/session')) return null; // logins and logouts are recorded by the session routes
  if (r.method !== 'GET' && r.method !== 'HEAD' && r.method !== 'OPTIONS') return r.role === 'public' ? null : 'change';
  // match the concrete path too: a parameterised route (/tiles/:layer/…) serves points only for some values
  const path = r.url.split('?')[0];
  if (r.method === 'GET' && (optIn || POINT_ROUTES.some((p) => p.test(r.routeUrl!) || p.test(path)))) return 'point-data';
  return null;
}

export default fp(async function audit(app: FastifyInstance) {
  app.addHook('onResponse', async (req, reply) => {
    const p = req.principal ?? PUBLIC;
    const action = auditActionFor({ method: req.method, routeUrl: req.routeOptions.url, url: req.url, statusCode: reply.statusCode, role: p.role },
      req.routeOptions.config?.auditPoints === true);
    if (!action) return;
    await recordAudit(app.db, p, action, `${req.method} ${req.routeOptions.url}`, { params: req.params ?? {}, query: req.query ?? {}, status: reply.statusCode })
      .catch((e) => req.log.warn({ err: { message: (e as Error).message } }, 'audit record failed'));
  });
});
