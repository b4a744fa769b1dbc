// Derives Stockholm's water polygons from the bundled boundaries once (slow turf unions) and writes them beside the
// data/basemap: npx tsx server/cli/build-water.ts
import fs from 'node:fs';
import { computeWater, WATER_FILE } from '../domain/basemap/basemap-layers.js';

const fc = computeWater();
fs.writeFileSync(WATER_FILE, JSON.stringify(fc));
console.log(`${fc.features.length} water polygons → ${WATER_FILE}`);
