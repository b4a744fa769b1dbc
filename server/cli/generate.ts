// `[REGION=kommun:1480] npm run generate -- --out <dir> [--crimes 1000000] [--seed 42] [--from 2023-01-01] [--to 2025-12-31]
//   [--shootings N] [--guard-reports N] [--citizen-reports N]`: writes a labelled-synthetic dataset of every kind.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { resolveRegion } from '../domain/region/resolve-region.js';
import { writeDataset } from '../generate/write-dataset.js';

const { values } = parseArgs({ options: {
  out: { type: 'string' }, crimes: { type: 'string', default: '50000' }, seed: { type: 'string', default: '42' },
  from: { type: 'string' }, to: { type: 'string' }, shootings: { type: 'string' }, 'guard-reports': { type: 'string' }, 'citizen-reports': { type: 'string' },
} });
const int = (s: string | undefined, name: string) => {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s)) { console.error(`--${name} must be a whole number`); process.exit(2); }
  return Number(s);
};
const date = (s: string | undefined, name: string) => {
  if (s !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(s)) { console.error(`--${name} must be YYYY-MM-DD`); process.exit(2); }
  return s;
};
if (!values.out) { console.error('usage: npm run generate -- --out <dir> [--crimes 1000000] [--seed 42] [--from YYYY-MM-DD --to YYYY-MM-DD]'); process.exit(2); }
const t0 = Date.now();
const counts = await writeDataset(values.out, {
  seed: values.seed!, crimes: int(values.crimes, 'crimes')!, shootings: int(values.shootings, 'shootings'),
  guardReports: int(values['guard-reports'], 'guard-reports'), citizenReports: int(values['citizen-reports'], 'citizen-reports'),
  from: date(values.from, 'from'), to: date(values.to, 'to'),
}, (m) => console.error(m), resolveRegion(loadConfig().region)); // the deployment's REGION: its points pass its import
console.log(`SYNTHETIC dataset written to ${values.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
