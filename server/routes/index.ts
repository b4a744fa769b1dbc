// Every route module, registered by app.ts. One folder per resource.
import areaSets from './area-sets/index.js';
import health from './health/index.js';

export const routes = [health, areaSets];
