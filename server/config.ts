// Reads the environment once, validated; everything else takes a Config.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_REGION, formatRegionSpec, parseRegionSpec } from '../shared/region-spec.js';

const onOff = z.enum(['on', 'off']);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  /** streaming replicas of DATABASE_URL's cluster, comma-separated: the read-only routes query them (issue 22) */
  DATABASE_READ_URLS: z.string().optional().transform((s, ctx) => {
    const urls = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    for (const u of urls) if (!/^postgres(ql)?:\/\//.test(u)) ctx.addIssue({ code: 'custom', message: `not a postgres:// URL: ${u.replace(/\/\/[^@]*@/, '//…@')}` });
    return urls;
  }),
  /** how long a read waits for a replica behind the primary before the primary answers it */
  READ_REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** the part of Sweden this deployment covers: kommun:NNNN, lan:NN or sverige, several comma-separated */
  REGION: z.string().default(DEFAULT_REGION).transform((v, ctx) => {
    const r = parseRegionSpec(v);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.message }); return z.NEVER; }
    return formatRegionSpec(r.parts);
  }),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SAMPLE_DATA: onOff.optional(),
  SUPPRESSION_K: z.coerce.number().int().min(1).max(100).default(5),
  DISCLOSURE_NOISE: z.coerce.number().int().min(0).max(10).default(1),
  SURVEY_MIN_RESPONDENTS: z.coerce.number().int().min(1).default(30),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // per sort or hash or bitmap of a statement; at 4 MB (PostgreSQL's default) a national tile's bitmap over a million points goes lossy
  PG_WORK_MEM: z.string().regex(/^\d+(kB|MB|GB)$/, 'a size such as 64MB').default('64MB'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  LOGIN_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  // the load balancer(s) in front whose X-Forwarded-For is believed: '' none, 'true' any, a hop count, or addresses/CIDRs
  TRUST_PROXY: z.string().default('')
    .transform((v): boolean | number | string => (v.trim() === '' || v.trim() === 'false' ? false : v.trim() === 'true' ? true : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v.split(',').map((x) => x.trim()).filter(Boolean).join(','))),
  HOTSPOT_CELL_SIZES: z.string().default('125,250,500,1000')
    .transform((v) => [...new Set(v.split(',').map((x) => Number(x.trim())))].sort((a, b) => a - b))
    .refine((a) => a.every((x) => Number.isFinite(x) && x >= 50 && x <= 5000), 'a comma-separated list of cell sizes from 50 to 5000 (m)')
    .refine((a) => a.includes(250), 'must include 250 (the default cell size of /api/hotspots, the hotspots tiles and the OGC collection)'),
  HOTSPOT_MAX_WORK: z.coerce.number().int().positive().default(2_500_000),
  HOTSPOT_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  TILE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(5000),
  COOKIE_SECURE: onOff.default('off'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(1000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  // municipal sign-in (OpenID Connect): on when OIDC_ISSUER is set
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z.string().default('openid'),
  OIDC_GROUPS_CLAIM: z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a claim name, or a dotted path such as realm_access.roles').default('groups'),
  OIDC_ADMIN_GROUPS: z.string().default(''),
  OIDC_ANALYST_GROUPS: z.string().default(''),
  OIDC_STAFF_GROUP_PREFIX: z.string().optional(),
  OIDC_STAFF_GROUPS: z.string().optional(),
  OIDC_COOKIE_SECRET: z.string().min(32, 'at least 32 characters').optional(),
});

const list = (v: string) => [...new Set(v.split(',').map((x) => x.trim()).filter(Boolean))];
const staffGroupsSchema = z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
  .transform((m) => Object.fromEntries(Object.entries(m).map(([g, d]) => [g, Array.isArray(d) ? d : [d]])));

/** OIDC_* read into the sign-in's settings (undefined without OIDC_ISSUER); throws naming the wrong variable. */
function oidcConfig(e: z.infer<typeof EnvSchema>): OidcConfig | undefined {
  if (!e.OIDC_ISSUER) return undefined;
  const problems: string[] = [];
  if (!e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required with OIDC_ISSUER');
  if (!e.OIDC_REDIRECT_URI) problems.push('OIDC_REDIRECT_URI: required with OIDC_ISSUER (https://<this server>/api/session/oidc/callback)');
  else if (new URL(e.OIDC_REDIRECT_URI).pathname !== '/api/session/oidc/callback') problems.push('OIDC_REDIRECT_URI: must end in /api/session/oidc/callback');
  const issuer = new URL(e.OIDC_ISSUER);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback)) problems.push('OIDC_ISSUER: must be https (http only on this machine, for tests)');
  let staffGroups: Record<string, string[]> = {};
  if (e.OIDC_STAFF_GROUPS) {
    let json: unknown;
    try { json = JSON.parse(e.OIDC_STAFF_GROUPS); } catch { json = undefined; }
    const p = staffGroupsSchema.safeParse(json);
    if (p.success) staffGroups = p.data;
    else problems.push('OIDC_STAFF_GROUPS: a JSON object from group to district entries, e.g. {"<group id>": ["stadsdelar:HUSBY"]}');
  }
  const scopes = list(e.OIDC_SCOPES.replace(/\s+/g, ','));
  if (!scopes.includes('openid')) problems.push('OIDC_SCOPES: must include openid');
  const mapping = {
    groupsClaim: e.OIDC_GROUPS_CLAIM, adminGroups: list(e.OIDC_ADMIN_GROUPS), analystGroups: list(e.OIDC_ANALYST_GROUPS),
    staffGroupPrefix: e.OIDC_STAFF_GROUP_PREFIX?.trim() || null, staffGroups,
  };
  if (!mapping.adminGroups.length && !mapping.analystGroups.length && !mapping.staffGroupPrefix && !Object.keys(staffGroups).length) {
    problems.push('OIDC_ADMIN_GROUPS, OIDC_ANALYST_GROUPS, OIDC_STAFF_GROUP_PREFIX or OIDC_STAFF_GROUPS: at least one, or no sign-in gives a role');
  }
  if (problems.length) throw new ConfigError(problems.join('; '));
  return {
    issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET, redirectUri: e.OIDC_REDIRECT_URI!,
    scopes: scopes.join(' '), mapping, cookieSecret: e.OIDC_COOKIE_SECRET,
  };
}

/** Municipal sign-in: the identity provider, this client, and which groups give which role (domain/access/oidc-claims.ts). */
export type OidcConfig = {
  issuer: string;
  clientId: string;
  /** absent: a public client (PKCE only, no client authentication) */
  clientSecret?: string;
  redirectUri: string;
  scopes: string;
  mapping: {
    groupsClaim: string; adminGroups: string[]; analystGroups: string[]; staffGroupPrefix: string | null; staffGroups: Record<string, string[]>;
  };
  /** signs the short-lived sign-in cookie (state, nonce, PKCE verifier); absent: a random key per process */
  cookieSecret?: string;
};

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  /** streaming replicas for the read-only routes (PostgreSQL only) */
  databaseReadUrls: string[];
  readReplicaWaitMs: number;
  /** canonical REGION spec ('lan:01' by default); resolved against the bundled boundaries at start */
  region: string;
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  sampleData: boolean;
  suppressionK: number;
  /** Largest cell-key noise added to a public count before rounding (server/domain/disclosure). */
  disclosureNoise: number;
  surveyMinRespondents: number;
  importMaxBytes: number;
  /** Largest request body of every route but the imports (which take importMaxBytes, streamed). */
  bodyLimitBytes: number;
  statementTimeoutMs: number;
  requestTimeoutMs: number;
  pgPoolMax: number;
  pgWorkMem: string;
  rateLimitPerMinute: number;
  /** Failed credential checks (wrong API key, failed login) per client address and minute before 429. */
  loginFailuresPerMinute: number;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For gives the client address (the rate limits' address buckets). */
  trustProxy: boolean | number | string;
  /** Hotspot cell sizes (m) open to the public and staff; the hexagon rollup is kept for these only. */
  hotspotCellSizes: number[];
  /** Largest cells × neighbours of one hotspot analysis (every role). */
  hotspotMaxWork: number;
  /** Longest wait for one hotspot analysis (queue and worker); then 503. */
  hotspotTimeoutMs: number;
  tileCacheEntries: number;
  cookieSecure: boolean;
  chromiumPath: string;
  /** A statement taking at least this long is logged with its route (0 = never). */
  slowQueryMs: number;
  /** When set, /metrics is also served without credentials on this port (on metricsHost), for a Prometheus scraper. */
  metricsPort?: number;
  metricsHost: string;
  /** Municipal sign-in (OpenID Connect); undefined: only API keys. */
  oidc?: OidcConfig;
};

/** The environment names a setting the service cannot run with: its message names each variable and what is wrong. */
export class ConfigError extends Error {
  constructor(problems: string) { super(`Invalid configuration: ${problems}`); this.name = 'ConfigError'; }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(msg);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrls: e.DATABASE_URL ? e.DATABASE_READ_URLS : [],
    readReplicaWaitMs: e.READ_REPLICA_WAIT_MS,
    region: e.REGION,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    // synthetic demo incidents: on by default only for the zero-setup embedded backend
    sampleData: (e.SAMPLE_DATA ?? (e.DATABASE_URL ? 'off' : 'on')) === 'on',
    suppressionK: e.SUPPRESSION_K,
    disclosureNoise: e.DISCLOSURE_NOISE,
    surveyMinRespondents: e.SURVEY_MIN_RESPONDENTS,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    pgPoolMax: e.PG_POOL_MAX,
    pgWorkMem: e.PG_WORK_MEM,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginFailuresPerMinute: e.LOGIN_FAILURES_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    hotspotCellSizes: e.HOTSPOT_CELL_SIZES,
    hotspotMaxWork: e.HOTSPOT_MAX_WORK,
    hotspotTimeoutMs: e.HOTSPOT_TIMEOUT_MS,
    tileCacheEntries: e.TILE_CACHE_ENTRIES,
    cookieSecure: e.COOKIE_SECURE === 'on',
    chromiumPath: e.CHROMIUM_PATH,
    slowQueryMs: e.SLOW_QUERY_MS,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    oidc: oidcConfig(e),
    ...overrides,
  };
}

export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
