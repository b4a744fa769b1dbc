// Every route module, registered by app.ts. One folder per resource.
import areaSets from './area-sets/index.js';
import health from './health/index.js';
import basemap from './basemap/index.js';
import session from './session/index.js';
import keys from './keys/index.js';
import audit from './audit/index.js';

export const routes = [health, areaSets, basemap, session, keys, audit];
