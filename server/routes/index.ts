// Every route module, registered by app.ts. One folder per resource.
import areaSets from './area-sets/index.js';
import health from './health/index.js';
import region from './region/index.js';
import ogc from './ogc/index.js';
import basemap from './basemap/index.js';
import session from './session/index.js';
import sessionOidc from './session/oidc.js';
import keys from './keys/index.js';
import audit from './audit/index.js';
import stats from './stats/index.js';
import survey from './survey/index.js';
import areaProfile from './areas/index.js';
import divergence from './divergence/index.js';
import hotspots from './hotspots/index.js';
import tiles from './tiles/index.js';
import places from './places/index.js';
import actionPlans from './action-plans/index.js';
import reports from './reports/index.js';
import reportVersions from './reports/versions.js';
import imports from './imports/index.js';
import importProfiles from './import-profiles/index.js';
import categories from './categories/index.js';
import backup from './backup/index.js';

export const routes = [health, region, areaSets, ogc, basemap, session, sessionOidc, keys, audit, stats, survey, areaProfile, divergence, hotspots, tiles, places, reports, reportVersions, actionPlans, imports, importProfiles, categories, backup];
