// Query pieces of /api/stats (also used by /api/survey and /api/divergence: the same f and sep). The response schema
// is the domain's (domain/area-stats/area-stats-schema.ts); the same rows go out as JSON, CSV and GeoJSON properties.
import { z } from 'zod';

export const outputFormat = z.enum(['json', 'csv', 'geojson']).default('json');
export const csvSep = z.enum(['comma', 'semicolon']).default('comma')
  .describe('CSV dialect: comma (RFC 4180, decimal point) or semicolon (Swedish spreadsheets: ";", decimal comma, UTF-8 BOM)');

export const STATS_CSV_COLUMNS = ['areaId', 'code', 'name', 'count', 'population', 'ratePer1000', 'previousCount', 'rateRatio',
  'rateRatioCiLow', 'rateRatioCiHigh', 'changeSignificant', 'unplacedAtThisLevel', 'suppressed'];
