// Query pieces of /api/stats (also used by /api/survey and /api/divergence: the same f and sep). The response schema
// is the domain's (domain/area-stats/area-stats-schema.ts); the same rows go out as JSON, CSV and GeoJSON properties.
import { z } from 'zod';

export const outputFormat = z.enum(['json', 'csv', 'geojson']).default('json');
export const csvSep = z.enum(['comma', 'semicolon']).optional()
  .describe('CSV dialect: comma (RFC 4180, decimal point) or semicolon (Swedish spreadsheets: ";", decimal comma, UTF-8 BOM). Default: semicolon in Swedish mode, else comma');
/** CSV in Swedish mode: Swedish column names and ja/nej (also chosen by Accept-Language: sv); en: the API's field names. */
export const csvLang = z.enum(['sv', 'en']).optional()
  .describe('CSV language: sv = Swedish column names, ja/nej, and by default ";" with decimal comma; en = the API\'s field names and true/false. Default: by Accept-Language (Swedish before English → sv), else en');

export const STATS_CSV_COLUMNS = ['areaId', 'code', 'name', 'count', 'population', 'ratePer1000', 'previousCount', 'rateRatio',
  'rateRatioCiLow', 'rateRatioCiHigh', 'changeSignificant', 'unplacedAtThisLevel', 'suppressed'];
