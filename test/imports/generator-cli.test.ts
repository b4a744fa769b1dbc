// The generator is deterministic and labelled synthetic; the CLI, run as a child process on a copy of the
// migrated template, exits 0 with the summary, 0 inserted on re-import, and non-zero naming the bad line.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { categoryLines, crimeLines, shootingLines, surveyLines, type GenerateOptions } from '../../server/generate/model.js';
import { writeDataset } from '../../server/generate/write-dataset.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const take = (g: Iterable<string>) => [...g].join('\n');

describe('generator', () => {
  const o: GenerateOptions = { seed: '42', crimes: 3000 };
  it('gives the same files for the same seed and different ones for another seed', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-a-')), b = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-b-'));
    await writeDataset(a, o);
    await writeDataset(b, o);
    for (const f of fs.readdirSync(a)) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f).toBe(true);
    expect(take(crimeLines({ ...o, seed: '43' }))).not.toBe(take(crimeLines(o)));
    expect(fs.readFileSync(path.join(a, 'README.md'), 'utf8')).toMatch(/SYNTHETIC/);
    expect(JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8'))).toMatchObject({ synthetic: true, provider: 'synthetic', seed: '42' });
    fs.rmSync(a, { recursive: true }); fs.rmSync(b, { recursive: true });
  });

  it('writes realistic rows: SYN- ids, known categories, night-heavy violence, uncertain spans for burglary, rare clustered shootings', () => {
    const rows = [...crimeLines({ seed: '7', crimes: 20_000 })].slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r[0].startsWith('SYN-C'))).toBe(true);
    const codes = new Set([...categoryLines()].slice(1).map((l) => l.split(',')[0]));
    expect(rows.every((r) => codes.has(r[3]))).toBe(true);
    const localHour = (iso: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }).format(new Date(iso)));
    const assaults = rows.filter((r) => r[3] === 'misshandel');
    const night = assaults.filter((r) => { const h = localHour(r[2] || r[1]); return h >= 21 || h < 3; }).length / assaults.length;
    expect(night).toBeGreaterThan(0.3); // 6 of 24 hours would be 0.25 if flat
    const burglaries = rows.filter((r) => r[3] === 'inbrott');
    const spans = burglaries.filter((r) => r[2] !== '').length / burglaries.length;
    expect(spans).toBeGreaterThan(0.45);
    const shootings = [...shootingLines({ seed: '7', crimes: 20_000 })].slice(1);
    expect(shootings.length).toBe(20);
    // clustered: most shootings have another within 1 km
    const pts = shootings.map((l) => l.split(',').slice(2, 4).map(Number));
    const near = pts.filter((p, i) => pts.some((q, j) => j !== i && Math.hypot(p[0] - q[0], p[1] - q[1]) < 1000)).length;
    expect(near / pts.length).toBeGreaterThan(0.6);
    // survey: per district, groups all/female/male and age bands, respondents add up
    const survey = [...surveyLines({ seed: '7', crimes: 0 })].slice(1).map((l) => l.split(','));
    const husby = survey.filter((r) => r[0] === '2024' && r[1] === 'HUSBY' && r[2] === 'otrygg-kvall');
    const by = Object.fromEntries(husby.map((r) => [r[3], Number(r[4])]));
    expect(by.all).toBe(by.female + by.male);
    expect(by.all).toBeGreaterThan(25);
  });
});

describe('import CLI as a child process', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-cli-'));
    fs.cpSync(inject('embeddedTemplate'), path.join(dir, 'pglite'), { recursive: true });
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const cli = async (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    try {
      const r = await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'server/cli/import.ts'), ...args], { env, cwd: ROOT });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  it('imports, re-imports with 0 inserted, refuses a bad file naming its line, and explains bad usage', async () => {
    const csv = path.join(ROOT, 'test/fixtures/imports/crimes.csv');
    const first = await cli('crimes', csv);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/rows read:\s+5\n\s+inserted:\s+5\n/);
    const again = await cli('crimes', csv);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/inserted:\s+0\n\s+updated:\s+0\n\s+unchanged:\s+5/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, fs.readFileSync(csv, 'utf8').replace('2025-06-14T23:55:00+02:00', '2025-06-31T23:55:00+02:00'));
    const r = await cli('crimes', bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('line 5: occurred_from "2025-06-31T23:55:00+02:00" is not a date');
    expect(r.out).toMatch(/nothing was written/);
    const usage = await cli('nonsense', csv);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/unknown kind "nonsense"/);
    const missing = await cli('crimes', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/no such file/);
  }, 600_000); // five child processes, each opening the embedded database

  it('`npm run import` keeps a small heap: a GeoJSON file too large to parse whole in it is refused with the way out', async () => {
    // exactly the npm script's node flags
    const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.import.split(/\s+/);
    expect(script.slice(0, 2)).toEqual(['node', '--max-old-space-size=192']);
    const big = path.join(dir, 'big-areas.geojson');
    const feature = '{"type":"Feature","properties":{"code":"A","name":"A"},"geometry":{"type":"Polygon","coordinates":[[[18,59.3],[18.01,59.3],[18.01,59.31],[18,59.3]]]}}';
    fs.writeFileSync(big, `{"type":"FeatureCollection","features":[${feature}]${' '.repeat(45_000_000)}}`);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const r = await run(process.execPath, [...script.slice(1), 'areas', big,
      '--area-set', 'big', '--level', 'custom', '--vintage', '2025', '--code-property', 'code', '--name-property', 'name'], { env, cwd: ROOT })
      .then((x) => ({ code: 0, out: x.stdout, err: x.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
    expect(r.err).not.toMatch(/usage/);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/larger than \d+ MB, the most this process can read whole/);
    expect(r.out).toMatch(/--max-old-space-size=4096/);
    fs.rmSync(big);
  }, 120_000);
});
