// What this server offers, read once from its OpenAPI document, so the app only requests endpoints that exist and
// shows "not available" instead of failing requests while parts of the API are still being built.
import { api } from './client.js';

export type Capabilities = {
  stats: boolean; survey: boolean; surveyMeta: boolean; divergence: boolean; profile: boolean; hotspots: boolean; tiles: boolean;
  places: boolean; placeEvaluation: boolean; placeGoals: boolean; placeMeasures: boolean; session: boolean; report: boolean;
  categories: boolean; paths: string[];
  /** the import wizard (issue 19): the preview exists; the kinds its path parameter takes */
  imports: boolean; importKinds: string[];
};

let caps: Capabilities | null = null;

export async function loadCapabilities(): Promise<Capabilities> {
  let paths: string[] = [];
  let importKinds: string[] = [];
  try {
    const doc = await api<{ paths?: Record<string, unknown> }>('/docs/json');
    paths = Object.keys(doc.paths ?? {});
    importKinds = kindsOf(doc.paths?.['/api/imports/{kind}/preview']);
  } catch { /* no OpenAPI: assume only the foundation */ }
  const has = (p: string) => paths.includes(p);
  const some = (re: RegExp) => paths.some((p) => re.test(p));
  caps = {
    stats: has('/api/stats'),
    survey: has('/api/survey'),
    surveyMeta: some(/^\/api\/survey\/(indicators|waves)/),
    divergence: has('/api/divergence'),
    profile: some(/^\/api\/areas\/\{[^}]+\}\/profile$/),
    hotspots: has('/api/hotspots'),
    tiles: some(/^\/tiles\//),
    places: has('/api/places'),
    placeEvaluation: some(/^\/api\/places\/\{[^}]+\}\/evaluation$/),
    placeGoals: some(/^\/api\/places\/\{[^}]+\}\/goals$/),
    placeMeasures: some(/^\/api\/places\/\{[^}]+\}\/measures$/),
    session: has('/api/session'),
    report: has('/api/reports/lagesbild'),
    categories: has('/api/categories'),
    paths,
    imports: has('/api/imports/{kind}/preview') && importKinds.length > 0,
    importKinds,
  };
  return caps;
}

/** The enum of the path parameter `kind` of an OpenAPI path item's POST. */
function kindsOf(item: unknown): string[] {
  const params = (item as { post?: { parameters?: { in?: string; name?: string; schema?: { enum?: unknown[] } }[] } } | undefined)?.post?.parameters ?? [];
  const e = params.find((p) => p.in === 'path' && p.name === 'kind')?.schema?.enum ?? [];
  return e.filter((x): x is string => typeof x === 'string');
}

export function capabilities(): Capabilities {
  if (!caps) throw new Error('capabilities not loaded');
  return caps;
}
