// What this server offers, read once from its OpenAPI document, so the app only requests endpoints that exist and
// shows "not available" instead of failing requests while parts of the API are still being built.
import { api } from './client.js';

export type Capabilities = {
  stats: boolean; survey: boolean; surveyMeta: boolean; divergence: boolean; profile: boolean; hotspots: boolean; tiles: boolean;
  places: boolean; placeEvaluation: boolean; placeGoals: boolean; placeMeasures: boolean; session: boolean; report: boolean;
  categories: boolean; paths: string[];
};

let caps: Capabilities | null = null;

export async function loadCapabilities(): Promise<Capabilities> {
  let paths: string[] = [];
  try {
    const doc = await api<{ paths?: Record<string, unknown> }>('/docs/json');
    paths = Object.keys(doc.paths ?? {});
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
  };
  return caps;
}

export function capabilities(): Capabilities {
  if (!caps) throw new Error('capabilities not loaded');
  return caps;
}
