// A place of platssamverkan (place-store.ts): the one schema of what is sent to create or change one and of what is
// served — the place, and the place with its polygon, goals and measures — with the types derived from them.
import type { Geometry } from 'geojson';
import { z } from 'zod';
import { isoDate, numericId, trimmedText as text } from '../value-schemas.js';
import { goalViewSchema } from './goal-schema.js';
import { measureSchema } from './measure-schema.js';

export const PLACE_STATUSES = ['planned', 'active', 'ended'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

// ---- sent

export const polygonGeometrySchema = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.array(z.unknown())).min(1),
}).describe('GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude); closed rings, ≤ 5,000 vertices, inside Sweden, 100 m²–25 km². A slightly invalid polygon is repaired only when that changes its area by ≤ 0.1 %.');
/** A polygon as sent: its outline checked by the schema, the rest by preparePlaceGeometry (place-geometry.ts). */
export type PolygonGeometryInput = z.output<typeof polygonGeometrySchema>;

const partnerInputSchema = z.strictObject({ organisation: text(200).min(1), role: text(200).default('') });

export const placeCreateSchema = z.strictObject({
  name: text(200).min(1),
  geometry: polygonGeometrySchema,
  status: z.enum(PLACE_STATUSES).default('planned'),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  description: text(5000).default(''),
  partners: z.array(partnerInputSchema).max(50).default([]),
  synthetic: z.boolean().default(false),
  districtAreaId: numericId.nullable().optional().describe('Override the computed district (the stadsdel containing the polygon); an areas.id of a stadsdel or stadsdelsområde, or null for none.'),
});
/** A new place as the API parsed it (defaults applied). */
export type PlaceInput = z.output<typeof placeCreateSchema>;

export const placePatchSchema = z.strictObject({
  name: text(200).min(1).optional(),
  geometry: polygonGeometrySchema.optional(),
  status: z.enum(PLACE_STATUSES).optional(),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  description: text(5000).optional(),
  partners: z.array(partnerInputSchema).max(50).optional(),
  synthetic: z.boolean().optional(),
  districtAreaId: numericId.nullable().optional(),
});
export type PlacePatch = z.output<typeof placePatchSchema>;

// ---- served

export const districtSchema = z.object({ id: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), parentCode: z.string().nullable(), overridden: z.boolean() });
export type District = z.infer<typeof districtSchema>;
export const partnerSchema = z.object({ organisation: z.string(), role: z.string() });
export type Partner = z.infer<typeof partnerSchema>;

export const placeSummarySchema = z.object({
  id: z.number(), externalId: z.string().nullable(), name: z.string(), status: z.enum(PLACE_STATUSES),
  startDate: z.string().nullable(), endDate: z.string().nullable(), description: z.string(), partners: z.array(partnerSchema),
  synthetic: z.boolean(), district: districtSchema.nullable(), areaM2: z.number(), goalCount: z.number(), measureCount: z.number(),
  createdAt: z.string(), updatedAt: z.string(),
});
export type PlaceSummary = z.infer<typeof placeSummarySchema>;
export type PlaceWithGeometry = PlaceSummary & { geometry: Geometry };

/** One place with its polygon (WGS84 GeoJSON), goals and measures. */
export const placeDetailSchema = placeSummarySchema.extend({ geometry: z.custom<Geometry>(), goals: z.array(goalViewSchema), measures: z.array(measureSchema) });
export type PlaceDetail = z.infer<typeof placeDetailSchema>;
