// Query parameters of /api/hotspots and /api/hotspots/compare.
import { z } from 'zod';
import { areaSetId, incidentFilterQuery, isoDate } from '../shared-schemas.js';

export const hotspotQuery = incidentFilterQuery.extend({
  cellSize: z.coerce.number().min(50, 'at least 50 m').max(5000, 'at most 5000 m').default(250)
    .describe('Hexagon edge length in metres on the EPSG:3006 grid (ST_HexagonGrid size); neighbouring centres lie √3 × cellSize apart. ' +
      'Public and staff: one of HOTSPOT_CELL_SIZES (default 125, 250, 500, 1000); analysts and admins: any value 50–5000'),
  areaSet: areaSetId.optional().describe('The area set whose areas make the study area (cells touching one of them). Omitted: the region\'s ' +
    'default set (defaultAreaSet of GET /api/region: stadsdelar where REGION has Stockholm city, else its municipalities)'),
  alpha: z.coerce.number().gt(0, 'greater than 0').max(0.2, 'at most 0.2').default(0.05)
    .describe('False-discovery rate: a cell is significant only when its Benjamini–Hochberg adjusted p ≤ alpha'),
  distanceBand: z.coerce.number().positive().max(20_000, 'at most 20000 m').optional()
    .describe('Neighbourhood radius in metres between cell centres (default: the cell and its ring of six). Public and staff: 2, 3, 4 or ' +
      '5 × cellSize; analysts and admins: up to 30 × cellSize. For everyone cells × neighbours is capped (HOTSPOT_MAX_WORK)'),
  f: z.enum(['geojson', 'json']).default('geojson'),
});
/** The query with the area set resolved (an omitted one is the region's default: withRegionSet in index.ts). */
export type HotspotQuery = Omit<z.infer<typeof hotspotQuery>, 'areaSet'> & { areaSet: string };

export const compareQuery = hotspotQuery.extend({
  baselineFrom: isoDate.optional().describe('Start of the baseline period (inclusive); default: the same calendar month, quarter or year a year earlier, else the equally long period before from'),
  baselineTo: isoDate.optional().describe('End of the baseline period (exclusive); default: from'),
});
