// The route × role matrix: what each role may do, as data the role test iterates (and the README documents).
//   ok       – the role is served (2xx, or 204/404 for an empty tile or an unknown id — never 401/403/5xx)
//   denied   – 401 for the public (no credentials), 403 for a signed-in role without the right
//   exact    – served with exact counts and points
//   suppr    – served, counts 1..k−1 hidden (null + suppressed), no points
//   district – staff: only in their own districts (403 elsewhere); admin everywhere
// Routes registered by the app but absent here are still covered by the generic rules in roles.test.ts:
// every change needs a credential, every GET answers the public without a 5xx and without a leak.
import type { Role } from '../../server/domain/access/principal.js';

export type Access = 'ok' | 'denied' | 'exact' | 'suppr' | 'district';
export type MatrixRow = { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; route: string; access: Record<Role, Access>; note?: string };

const all = (a: Access): Record<Role, Access> => ({ public: a, analyst: a, staff: a, admin: a });
const aggregate: Record<Role, Access> = { public: 'suppr', analyst: 'exact', staff: 'suppr', admin: 'exact' };
const points: Record<Role, Access> = { public: 'denied', analyst: 'exact', staff: 'denied', admin: 'exact' };
const adminOnly: Record<Role, Access> = { public: 'denied', analyst: 'denied', staff: 'denied', admin: 'ok' };
const staffEdit: Record<Role, Access> = { public: 'denied', analyst: 'denied', staff: 'district', admin: 'ok' };

export const ROLE_MATRIX: MatrixRow[] = [
  { method: 'GET', route: '/api/health', access: all('ok') },
  { method: 'GET', route: '/api/health/live', access: all('ok'), note: 'liveness: no database access' },
  { method: 'GET', route: '/api/health/ready', access: all('ok'), note: 'readiness: 503 while the database does not answer or migrations are pending' },
  { method: 'GET', route: '/metrics', access: adminOnly, note: 'Prometheus; also without credentials on METRICS_PORT (METRICS_HOST)' },
  { method: 'GET', route: '/api/admin/backup', access: adminOnly, note: 'a backup file of the whole database (or the embedded server\'s local token); audited' },
  { method: 'GET', route: '/api/session', access: all('ok'), note: 'who am I' },
  { method: 'POST', route: '/api/session', access: all('ok'), note: 'log in with an API key (body apiKey)' },
  { method: 'DELETE', route: '/api/session', access: all('ok'), note: 'log out (X-CSRF-Token with a session)' },
  { method: 'GET', route: '/api/session/oidc/login', access: all('ok'), note: 'municipal sign-in: redirect to the identity provider (404 without OIDC_ISSUER)' },
  { method: 'GET', route: '/api/session/oidc/callback', access: all('ok'), note: 'the provider\'s return: session for a configured group, else /?login=no-role (400 without a valid sign-in cookie and state)' },
  { method: 'GET', route: '/api/area-sets', access: all('ok') },
  { method: 'GET', route: '/api/area-sets/:id/areas', access: all('ok') },
  { method: 'GET', route: '/api/stats', access: aggregate, note: 'f=json|csv|geojson' },
  { method: 'GET', route: '/api/categories', access: all('ok'), note: 'codes without a declared label listed for the public only with ≥ k incidents' },
  { method: 'GET', route: '/api/survey', access: aggregate, note: 'small respondent counts suppressed' },
  { method: 'GET', route: '/api/areas/:id/profile', access: aggregate },
  { method: 'GET', route: '/api/divergence', access: aggregate },
  { method: 'GET', route: '/api/hotspots', access: aggregate, note: 'cells below k hidden for the public' },
  { method: 'GET', route: '/api/hotspots/compare', access: aggregate },
  { method: 'GET', route: '/tiles/:layer/:z/:x/:y.mvt', access: aggregate, note: 'layers areas, hexbins, hotspots, places' },
  { method: 'GET', route: '/tiles/incidents/:z/:x/:y.mvt', access: points, note: 'points: analyst and admin only, audited' },
  { method: 'GET', route: '/ogc/collections', access: aggregate, note: 'the incidents collection is listed for analyst/admin only' },
  { method: 'GET', route: '/ogc/collections/incidents/items', access: points, note: 'audited' },
  { method: 'GET', route: '/api/places', access: all('ok') },
  { method: 'POST', route: '/api/places', access: staffEdit },
  { method: 'PATCH', route: '/api/places/:id', access: staffEdit },
  { method: 'DELETE', route: '/api/places/:id', access: staffEdit },
  { method: 'POST', route: '/api/places/:id/goals', access: staffEdit },
  { method: 'POST', route: '/api/places/:id/measures', access: staffEdit },
  { method: 'GET', route: '/api/places/:id/evaluation', access: aggregate },
  { method: 'GET', route: '/api/reports/lagesbild', access: aggregate, note: 'f=html|pdf|json' },
  { method: 'GET', route: '/api/reports', access: { public: 'denied', analyst: 'ok', staff: 'ok', admin: 'ok' }, note: 'saved reports per area' },
  { method: 'GET', route: '/api/reports/:id', access: { public: 'denied', analyst: 'ok', staff: 'ok', admin: 'ok' } },
  { method: 'POST', route: '/api/reports', access: { public: 'denied', analyst: 'ok', staff: 'district', admin: 'ok' }, note: 'saved lägesbild with staff text; staff in their districts' },
  { method: 'PATCH', route: '/api/reports/:id', access: { public: 'denied', analyst: 'ok', staff: 'district', admin: 'ok' }, note: 'staff text saved as a new version; baseVersion / If-Match, 409 when stale' },
  { method: 'GET', route: '/api/reports/:id/versions', access: { public: 'denied', analyst: 'ok', staff: 'ok', admin: 'ok' }, note: 'who saved the staff text when, which fields' },
  { method: 'GET', route: '/api/reports/:id/versions/:version', access: { public: 'denied', analyst: 'ok', staff: 'ok', admin: 'ok' } },
  { method: 'GET', route: '/api/imports', access: { public: 'denied', analyst: 'ok', staff: 'denied', admin: 'ok' }, note: 'batch provenance' },
  { method: 'POST', route: '/api/imports/:kind', access: { public: 'denied', analyst: 'ok', staff: 'denied', admin: 'ok' }, note: 'one file, all rows or none (or onInvalid=skip); audited' },
  { method: 'POST', route: '/api/imports/:kind/preview', access: { public: 'denied', analyst: 'ok', staff: 'denied', admin: 'ok' }, note: 'what an import would do; writes nothing' },
  { method: 'GET', route: '/api/import-profiles', access: { public: 'denied', analyst: 'ok', staff: 'denied', admin: 'ok' }, note: 'saved column mappings' },
  { method: 'POST', route: '/api/import-profiles', access: { public: 'denied', analyst: 'ok', staff: 'denied', admin: 'ok' }, note: 'save a column mapping under a name; audited' },
  { method: 'DELETE', route: '/api/imports/:id', access: adminOnly, note: 'removes one batch' },
  { method: 'GET', route: '/api/keys', access: adminOnly },
  { method: 'POST', route: '/api/keys', access: adminOnly },
  { method: 'DELETE', route: '/api/keys/:id', access: adminOnly },
  { method: 'GET', route: '/api/audit', access: adminOnly },
];

/** Markdown for the README. */
export function matrixMarkdown(): string {
  const roles: Role[] = ['public', 'analyst', 'staff', 'admin'];
  return ['| method | route | ' + roles.join(' | ') + ' | note |', '|---|---|' + roles.map(() => '---|').join('') + '---|',
    ...ROLE_MATRIX.map((r) => `| ${r.method} | \`${r.route}\` | ${roles.map((x) => r.access[x]).join(' | ')} | ${r.note ?? ''} |`)].join('\n');
}
