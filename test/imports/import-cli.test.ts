// The import CLI, run as a child process on a copy of the migrated template, exits 0 with the summary, 0 inserted on
// re-import, and non-zero naming the bad line. (The generator's own tests are beside it in server/generate/.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

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
