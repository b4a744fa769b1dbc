// `polisen-events` — Polisen's public events feed (polisen.se/api/events shape), a JSON array or JSONL.
// The feed's GPS is the municipality's centre, so no point is ever stored: each event is placed by its text
// (server/ingest/gazetteer) at basområde, district, municipality or county precision. Shootings → `shootings`;
// crime types → source `police-events` with a crime category (or `crimes` with --as-crimes: by default they are
// kept apart from the police's crime register so the two are never added up); other types skipped and counted.
// The time is the one in the event's name ("26 september 14:21, …", local time), not the publication time.
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Source } from '../../../shared/sources.js';
import { buildGazetteer } from '../gazetteer/build-gazetteer.js';
import { compileGazetteer, placeByText, type CompiledGazetteer } from '../gazetteer/place-by-text.js';
import { ImportFileError } from '../errors.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { stockholmLocalToUtc } from '../local-time.js';
import { findStagedDuplicates, mergeStagedIncidents, prepareIncidentStage, stageIncidents, type IncidentInput } from '../write-incidents.js';
import { mapPolisenType, shootingOutcome } from './polisen-types.js';

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

const eventSchema = z.object({
  id: z.union([z.number().int(), z.string().regex(/^[\w-]{1,64}$/)]),
  datetime: z.string(),
  name: z.string().default(''),
  summary: z.string().nullish(),
  url: z.string().nullish(),
  type: z.string().min(1),
  location: z.object({ name: z.string().min(1), gps: z.string().nullish() }),
  html_preamble: z.string().nullish(),
  html_body: z.string().nullish(),
});
type PolisenEvent = z.infer<typeof eventSchema>;

/** "2022-09-29 7:56:30 +02:00" → Date (the publication time). */
export function parsePolisenDatetime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})\s*([+-])(\d{2}):?(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 || y < 1900 || y > 2100) return null;
  const off = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  return new Date(Date.UTC(y, mo - 1, d, h, mi, se) - off * 60000);
}

/** The event's own time from its name ("26 september 14:21, …"), in the year of publication (or the one before). */
export function occurredAt(name: string, published: Date): Date | null {
  const m = /^\s*(\d{1,2})\s+(\p{L}+)\s+(\d{1,2})[:.](\d{2})/u.exec(name);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
  const [day, h, mi] = [Number(m[1]), Number(m[3]), Number(m[4])];
  if (!month || day < 1 || day > 31 || h > 23 || mi > 59) return null;
  const pubLocal = new Date(published.getTime() + 3600_000); // month of publication (close enough across midnight)
  let year = pubLocal.getUTCFullYear();
  if (month > pubLocal.getUTCMonth() + 1 + 0) year -= 1; // a December event published in January
  const t = stockholmLocalToUtc(year, month, day, h, mi, 0);
  if (t > published.getTime() + 3600_000) return null; // would lie after its own publication
  return new Date(t);
}

function stripHtml(s: string | null | undefined): string {
  return (s ?? '').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
}

async function* events(input: Readable): AsyncGenerator<{ n: number; unit: 'line' | 'event'; value: unknown } | { n: number; unit: 'line' | 'event'; error: string }> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let arrayText: string[] | null = null;
  for await (const raw of rl) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (arrayText) { arrayText.push(line); continue; }
    const t = line.trim();
    if (!t) continue;
    if (n === 1 && t.startsWith('[')) { arrayText = [line]; continue; }
    try { yield { n, unit: 'line', value: JSON.parse(t) }; } catch (e) { yield { n, unit: 'line', error: `is not valid JSON (${(e as Error).message.slice(0, 80)})` }; }
  }
  if (arrayText) {
    let arr: unknown;
    try { arr = JSON.parse(arrayText.join('\n')); } catch (e) { throw new ImportFileError(`the file is not valid JSON (${(e as Error).message})`); }
    if (!Array.isArray(arr)) throw new ImportFileError('the file is neither a JSON array of events nor JSONL');
    let i = 0;
    for (const v of arr) yield { n: ++i, unit: 'event', value: v };
  }
}

export async function importPolisenEvents(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx, errors } = ctx;
  const gaz: CompiledGazetteer = compileGazetteer(await buildGazetteer(tx));
  const crimeSource: Source = ctx.options.asCrimes ? 'crimes' : ('police-events' as Source);
  const precision: Record<string, number> = { basomrade: 0, district: 0, municipality: 0, county: 0 };
  const skippedBy: Record<string, number> = {};
  let rowsRead = 0, skipped = 0;
  const shootings: IncidentInput[] = [];
  let chunk: IncidentInput[] = [];
  await prepareIncidentStage(tx);
  for await (const item of events(input)) {
    rowsRead++;
    if (rowsRead % 1000 === 0) ctx.progress(rowsRead);
    if ('error' in item) { errors.add({ line: item.n, unit: item.unit === 'event' ? 'feature' : 'line', reason: item.error }); continue; }
    const unit = item.unit === 'event' ? 'feature' as const : 'line' as const;
    const p = eventSchema.safeParse(item.value);
    if (!p.success) {
      const iss = p.error.issues[0];
      errors.add({ line: item.n, unit, column: iss.path.join('.') || undefined, reason: `${iss.path.join('.') || 'event'} ${iss.message}` });
      continue;
    }
    const e: PolisenEvent = p.data;
    const published = parsePolisenDatetime(e.datetime);
    if (!published) { errors.add({ line: item.n, unit, column: 'datetime', reason: `datetime ${JSON.stringify(e.datetime)} is not a date` }); continue; }
    const map = mapPolisenType(e.type);
    if (!map.source) { skipped++; skippedBy[e.type] = (skippedBy[e.type] ?? 0) + 1; continue; }
    const when = occurredAt(e.name, published) ?? published;
    const texts = { municipality: e.location.name, summary: stripHtml(e.summary), preamble: stripHtml(e.html_preamble), body: stripHtml(e.html_body) };
    const place = placeByText(gaz, texts);
    if (place.precision !== 'county' && place.areaId === null) { errors.add({ line: item.n, unit, column: 'location.name', reason: `location.name ${JSON.stringify(e.location.name)} is not a municipality of Stockholms län` }); continue; }
    precision[place.precision]++;
    const attrs = { type: e.type, url: e.url ?? null, published: published.toISOString(), placedBy: place.matched.length ? place.matched : undefined, via: place.via };
    const base = { line: item.n, externalId: String(e.id), occurredFrom: when, occurredTo: null, x: null, y: null,
      locationAreaId: place.areaId, precision: place.precision, attrs } as const;
    if (map.source === 'shootings') {
      shootings.push({ ...base, category: shootingOutcome([texts.summary, texts.preamble, texts.body].join(' ')), confirmed: map.confirmed });
    } else {
      chunk.push({ ...base, category: map.category, confirmed: null });
      if (chunk.length >= 5000) { await stageIncidents(tx, chunk); chunk = []; }
    }
  }
  ctx.progress(rowsRead);
  if (chunk.length) await stageIncidents(tx, chunk);
  const addDups = async () => {
    const d = await findStagedDuplicates(tx, 1000, ctx.options.skipInvalid);
    for (const r of d.rows) errors.add({ line: r.line, column: 'id', reason: `id ${JSON.stringify(r.externalId)} is a duplicate of line ${r.firstLine}` });
  };
  await addDups();
  assertNoRejections(ctx);
  const a = await mergeStagedIncidents(tx, crimeSource, ctx.provider, ctx.batchId);
  await prepareIncidentStage(tx);
  await stageIncidents(tx, shootings);
  await addDups();
  assertNoRejections(ctx);
  const b = await mergeStagedIncidents(tx, 'shootings', ctx.provider, ctx.batchId);
  const placed = Object.values(precision).reduce((x, y) => x + y, 0);
  return {
    rowsRead, inserted: a.inserted + b.inserted, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged,
    skipped, skippedBy, precision,
    notes: [`${placed} events kept: ${placed - shootings.length} crimes as source ${crimeSource}, ${shootings.length} shootings; no point stored (the feed's GPS is the municipality centre)`],
  };
}
