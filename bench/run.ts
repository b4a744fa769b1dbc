// npm run bench [-- name ... --flag=value ...]: runs bench/<name>.bench.ts one after another, each in its own process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const all = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', '')).sort();
const want = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-')); // e.g. --minutes=1 for the soak: passed to each bench
const names = want.length ? want : all;
let failed = 0;
for (const n of names) {
  if (!all.includes(n)) { console.error(`no bench "${n}"; have: ${all.join(', ')}`); failed++; continue; }
  console.log(`\n== bench ${n}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${n}.bench.ts`), ...flags], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) { console.error(`bench ${n} exited ${r.status}`); failed++; }
}
process.exit(failed ? 1 : 0);
