// What every OGC collection provides: metadata, its queryable properties, and items (paged, filtered, in a CRS).
import type { Geometry } from 'geojson';
import type { Bbox, OgcCrs } from './crs.js';
import type { DatetimeFilter } from './datetime.js';

export type Queryable = { type: 'string' | 'integer' | 'number' | 'boolean'; title: string; enum?: string[] };

export type ItemsQuery = {
  limit: number;
  offset: number;
  bbox: Bbox | null;
  datetime: DatetimeFilter | null;
  crs: OgcCrs;
  /** property name → value, only names the collection declares as queryable */
  filters: Record<string, string>;
};

export type OgcFeature = { type: 'Feature'; id: number | string; geometry: Geometry | null; properties: Record<string, unknown> };

export type ItemsPage = {
  features: OgcFeature[];
  numberMatched: number;
  /** extra members for the response, e.g. the period a stats collection was computed for */
  extra?: Record<string, unknown>;
};

export type Extent = {
  spatial: { bbox: number[][]; crs: string };
  temporal?: { interval: (string | null)[][]; trs: string };
};

export type OgcCollection = {
  id: string;
  title: string;
  description: string;
  /** 'exact': analyst and admin only (point data) */
  access: 'public' | 'exact';
  geometryType: 'polygon' | 'point';
  queryables: Record<string, Queryable>;
  /** what `datetime` means here, or null when the collection has no time dimension (datetime → 400) */
  datetimeMeaning: string | null;
  extent(): Promise<Extent>;
  items(q: ItemsQuery): Promise<ItemsPage>;
  item(featureId: string, crs: OgcCrs, datetime: DatetimeFilter | null): Promise<OgcFeature | null>;
};
