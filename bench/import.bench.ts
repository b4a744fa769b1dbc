// Import speed. 1,000,000 generated crimes (seed 42) into a fresh real PostGIS database: a plain `psql \copy`
// of the same file into a bare table (the baseline) vs `npm run import -- crimes …` (the CLI as a child process,
// validation + staging + upsert + rollup for every area set; peak RSS via /usr/bin/time -v); then the embedded
// backend's rows/s for 100,000 crimes. Targets: ratio ≥ 0.5, peak RSS < 300 MB. BENCH_CRIMES overrides 1,000,000.
// For scale it also times psql \copy of the rows already converted to incidents' columns, into such a table
// without and with incidents' indexes: the ceiling no importer can pass.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { crimeLines } from '../server/generate/model.js';
import { report, type BenchRow } from './harness.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const N = Number(process.env.BENCH_CRIMES ?? 1_000_000);
const N_EMB = Number(process.env.BENCH_EMBEDDED_CRIMES ?? 100_000);
const base = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-bench-import-'));

async function writeCrimes(file: string, n: number) {
  const out = fs.createWriteStream(file);
  let buf = '';
  for (const l of crimeLines({ seed: '42', crimes: n })) {
    buf += l + '\n';
    if (buf.length > 1 << 16) { if (!out.write(buf)) await once(out, 'drain'); buf = ''; }
  }
  out.end(buf);
  await once(out, 'finish');
}
/** Runs one psql command (a \\copy) against url; throws with psql's message if it fails. Returns the seconds it took. */
function psql(url: string, command: string, what: string): number {
  const t0 = performance.now();
  const r = spawnSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}
const withDb = (url: string, db: string) => { const u = new URL(url); u.pathname = `/${db}`; return u.toString(); };
function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra, LOG_LEVEL: 'silent' };
  if (!extra.DATABASE_URL) delete e.DATABASE_URL; // embedded
  return e;
}
// exactly what `npm run import` runs (its node flags keep the heap small), without npm's own process around it
const IMPORT_CMD = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.import.split(/\s+/);
if (IMPORT_CMD[0] !== 'node') throw new Error(`unexpected import script: ${IMPORT_CMD.join(' ')}`);
function cli(args: string[], env: NodeJS.ProcessEnv) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...IMPORT_CMD.slice(1), ...args],
    { cwd: root, env: envWith(env), encoding: 'utf8', maxBuffer: 64 << 20 });
  const s = (performance.now() - t) / 1000;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`);
  return { s, rss, out: r.stdout };
}

const crimesFile = path.join(tmp, 'crimes.csv');
let t = performance.now();
await writeCrimes(crimesFile, N);
const genS = (performance.now() - t) / 1000;
console.error(`generated ${N} crimes in ${genS.toFixed(1)} s (${(fs.statSync(crimesFile).size / 1e6).toFixed(0)} MB)`);

const dbName = `tk_bench_import_${process.pid}`;
const admin = new pg.Client({ connectionString: withDb(base, 'postgres') });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
await admin.query(`CREATE DATABASE ${dbName}`);
const url = withDb(base, dbName);
const rows: BenchRow[] = [];
try {
  const mig = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli/migrate.ts')], { cwd: root, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stderr}`);
  // baseline: psql \copy of the same rows into a bare table
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE bare_crimes (id text, occurred_from timestamptz, occurred_to timestamptz, category text, x double precision, y double precision)`);
  await c.end();
  const copyS = psql(url, `\\copy bare_crimes FROM '${crimesFile}' WITH (FORMAT csv, HEADER true)`, 'psql \\copy into the bare table');
  // The ceiling any importer faces: the same rows, already converted to incidents' columns (not timed), loaded by
  // psql \copy — no parsing, validation, upsert or rollup — into a table with incidents' columns, constraints and
  // indexes (the ones the queries need). An import can only be slower than this.
  const shapedFile = path.join(tmp, 'crimes-shaped.csv');
  psql(url, `\\copy (SELECT 'crimes', 'synthetic', id, category, occurred_from, occurred_to, 'exact', ST_SetSRID(ST_MakePoint(x, y), 3006), md5(id) FROM bare_crimes) TO '${shapedFile}' WITH (FORMAT csv)`,
    'preparing the converted file');
  const shapedCols = 'source, provider, external_id, category, occurred_from, occurred_to, precision, geom, row_hash';
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  // the same without any index or constraint: what the columns alone (geometry, hash, …) cost
  await c2.query('CREATE TABLE unindexed_crimes (LIKE incidents INCLUDING DEFAULTS)');
  const unindexedS = psql(url, `\\copy unindexed_crimes (${shapedCols}) FROM '${shapedFile}' WITH (FORMAT csv)`, 'psql \\copy into the unindexed table');
  await c2.query('DROP TABLE unindexed_crimes');
  await c2.query('CREATE TABLE shaped_crimes (LIKE incidents INCLUDING ALL)');
  await c2.query('CHECKPOINT').catch(() => {}); // this load and the import below both start right after a checkpoint (needs a superuser, else skipped)
  const shapedS = psql(url, `\\copy shaped_crimes (${shapedCols}) FROM '${shapedFile}' WITH (FORMAT csv)`, 'psql \\copy into the shaped table');
  const indexCount = Number((await c2.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'shaped_crimes'`)).rows[0].n);
  await c2.query('DROP TABLE shaped_crimes, bare_crimes');
  await c2.query('CHECKPOINT').catch(() => {});
  await c2.end();
  fs.rmSync(shapedFile);
  const imp = cli(['crimes', crimesFile, '--provider', 'synthetic'], { DATABASE_URL: url });
  const again = cli(['crimes', crimesFile, '--provider', 'synthetic'], { DATABASE_URL: url });
  const count = (out: string, what: string) => Number(new RegExp(`${what}:\\s+(\\d+)`).exec(out)?.[1] ?? NaN);
  if (count(imp.out, 'inserted') !== N) throw new Error(`the import inserted ${count(imp.out, 'inserted')} of ${N} rows`);
  if (count(again.out, 'inserted') !== 0 || count(again.out, 'updated') !== 0) throw new Error(`the re-import changed rows: ${again.out.slice(-500)}`);
  const copyRate = N / copyS, impRate = N / imp.s, ratio = impRate / copyRate, shapedRate = N / shapedS;
  rows.push(
    { metric: `psql \\copy ${N} rows into a bare table`, value: copyRate, unit: 'rows/s' },
    { metric: `npm run import -- crimes (${N} rows, new)`, value: impRate, unit: 'rows/s' },
    { metric: 'import / \\copy', value: ratio, target: '≥ 0.5', ok: ratio >= 0.5 },
    { metric: 'psql \\copy of the converted rows into a table with incidents\' columns, no index or constraint', value: N / unindexedS, unit: 'rows/s' },
    { metric: '… / bare \\copy', value: N / unindexedS / copyRate },
    { metric: `ceiling: psql \\copy of the converted rows into a table shaped like incidents (${indexCount} indexes)`, value: shapedRate, unit: 'rows/s' },
    { metric: 'ceiling / bare \\copy (the best ratio any importer could reach here)', value: shapedRate / copyRate },
    { metric: 'import / ceiling', value: impRate / shapedRate },
    { metric: 'import peak RSS', value: imp.rss, unit: 'MB', target: '< 300 MB', ok: imp.rss < 300 },
    { metric: `re-import of the same file (0 inserted)`, value: N / again.s, unit: 'rows/s' },
    { metric: 're-import peak RSS', value: again.rss, unit: 'MB', target: '< 300 MB', ok: again.rss < 300 },
  );
  console.error(imp.out);
  console.error(rows.map((r) => `${r.metric}: ${typeof r.value === 'number' ? r.value.toFixed(2) : r.value} ${r.unit ?? ''}`).join('\n'));
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end();
}

// embedded: a migrated data dir first (not timed), then the import
const embFile = path.join(tmp, 'crimes-embedded.csv');
await writeCrimes(embFile, N_EMB);
const dataDir = path.join(tmp, 'embedded');
const env = { DATA_DIR: dataDir };
const migE = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli/migrate.ts')], { cwd: root, env: envWith(env), encoding: 'utf8' });
if (migE.status !== 0) throw new Error(`embedded migrate failed: ${migE.stderr}`);
const e = cli(['crimes', embFile, '--provider', 'synthetic'], env);
const inner = Number(/\((\d+) rows\/s\)/.exec(e.out)?.[1] ?? NaN);
rows.push(
  { metric: `embedded: npm run import -- crimes (${N_EMB} rows), wall incl. process start`, value: N_EMB / e.s, unit: 'rows/s' },
  { metric: 'embedded: import transaction only', value: inner, unit: 'rows/s' },
  { metric: 'embedded import peak RSS', value: e.rss, unit: 'MB' },
);
fs.rmSync(tmp, { recursive: true, force: true });
report('import', rows, [
  `generated with seed 42 in ${genS.toFixed(1)} s; the import (\`${IMPORT_CMD.join(' ')}\`) validates every row (zod), places each point in the areas of every set, stages by COPY in 20,000-row chunks (while the next chunk is parsed), updates the changed rows and inserts the new ones, and adds them to the area×day rollup of every set`,
  `machine: ${os.cpus().length} cores shared with other work (load ${os.loadavg()[0].toFixed(1)}); figures are from one run`,
]);
