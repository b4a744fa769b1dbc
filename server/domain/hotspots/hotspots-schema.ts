// The answers of the hot spot analysis and of the comparison of two periods (hotspot-answer.ts builds them from
// compute-hotspots.ts and compare-hotspots.ts): one zod schema each for a published cell and for meta, the types
// derived from them. /api/hotspots and /api/hotspots/compare serve them as JSON (f=json) and as the properties and
// meta of a GeoJSON FeatureCollection (f=geojson).
import { z } from 'zod';
import { SOURCES } from '../../../shared/sources.js';
import { disclosureMethodSchema } from '../disclosure/disclosure-method-schema.js';
import { periodSchema } from '../period/period-schema.js';
import { HOTSPOT_CLASSES } from './classify.js';

export const TRENDS = ['new', 'persistent', 'intensifying', 'diminishing', 'gone', 'none'] as const;
export type Trend = (typeof TRENDS)[number];

const hotspotClass = z.enum(HOTSPOT_CLASSES);
/** The parts of meta both answers share. */
const filterMeta = { source: z.enum(SOURCES), categories: z.array(z.string()).nullable(), areaSet: z.string(), cellSize: z.number() };

export const hotspotCellSchema = z.object({
  i: z.number(), j: z.number(), count: z.number().nullable().describe('exact points in the cell; null: fewer than k (public)'),
  giZ: z.number(), p: z.number().describe('two-sided'), pAdjusted: z.number().describe('Benjamini–Hochberg over all cells'), class: hotspotClass,
  neighbours: z.number(),
});
export type HotspotCellOut = z.infer<typeof hotspotCellSchema>;

export const hotspotsMetaSchema = z.object({
  method: z.string(), neighbourhood: z.string(), distanceBand: z.number(),
  fdr: z.object({ method: z.string(), over: z.number(), alpha: z.number() }),
  alpha: z.number(), classes: z.string(), cells: z.number(), n: z.number().nullable(),
  significant: z.object({ hot: z.number(), cold: z.number() }),
  period: periodSchema, source: filterMeta.source, categories: filterMeta.categories, areaSet: filterMeta.areaSet, cellSize: filterMeta.cellSize,
  grid: z.string(), counts: z.string(), imprecise: z.number().nullable(),
  requestedPeriod: periodSchema.nullable().describe('the period asked for, when the public grid widened it (meta.period is what was analysed)'),
  disclosure: disclosureMethodSchema, suppression: z.string().nullable(),
});
export type HotspotsMeta = z.infer<typeof hotspotsMetaSchema>;

export const compareCellSchema = z.object({
  i: z.number(), j: z.number(), trend: z.enum(TRENDS), class: hotspotClass, baselineClass: hotspotClass,
  count: z.number().nullable(), baselineCount: z.number().nullable(),
  giZ: z.number(), baselineGiZ: z.number(), pAdjusted: z.number(),
  pChange: z.number().nullable().describe('exact conditional Poisson test of the count per day; cells hot in both periods only'),
  pChangeAdjusted: z.number().nullable(),
});
export type CompareCellOut = z.infer<typeof compareCellSchema>;

const trendCounts = z.object(Object.fromEntries(TRENDS.map((t) => [t, z.number()])) as Record<Trend, z.ZodNumber>);

export const compareMetaSchema = z.object({
  method: z.string(),
  definitions: z.object({ new: z.string(), gone: z.string(), intensifying: z.string(), diminishing: z.string(), persistent: z.string(), none: z.string() }),
  alpha: z.number(), period: periodSchema, baseline: periodSchema, cells: z.number(), n: z.number().nullable(), baselineN: z.number().nullable(),
  trends: trendCounts.describe('cells per trend'),
  source: filterMeta.source, categories: filterMeta.categories, areaSet: filterMeta.areaSet, cellSize: filterMeta.cellSize,
  counts: z.string(), disclosure: disclosureMethodSchema, suppression: z.string().nullable(),
});
export type CompareMeta = z.infer<typeof compareMetaSchema>;

/** f=json: meta and the cells; f=geojson (the default): the same meta on a FeatureCollection whose features carry the cells as properties. */
const answer = <M extends z.ZodType, C extends z.ZodType>(meta: M, cell: C) => z.union([
  z.object({ meta, cells: z.array(cell) }),
  z.object({ type: z.literal('FeatureCollection'), meta, features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), properties: cell, geometry: z.unknown() })) }),
]);
export const hotspotsAnswerSchema = answer(hotspotsMetaSchema, hotspotCellSchema);
export const compareAnswerSchema = answer(compareMetaSchema, compareCellSchema);
