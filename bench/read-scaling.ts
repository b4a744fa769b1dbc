// One instance on one PostgreSQL vs two instances whose reads are spread over the primary and a streaming replica
// (issue 22). The workload is read-only and database-bound: public hexbin tiles z10–z15 around Stockholm and
// Göteborg with the tile cache off. On a 2-core machine both clusters would share both cores, so each is pinned to
// its own core with taskset (the primary to CPU 0, the replica to CPU 1) — the service processes and the load
// generator still share the machine, which caps what the second server can add.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { BenchRow } from './harness.js';
import { startService } from './bench-data.js';
import { rangeAround, runService, tilesOf } from './tile-bench-kit.js';

type Opts = { primaryDbUrl: string; replicaDbUrl: string; region: string; seconds: number; pin: boolean; notes: string[] };

/** Every process of the cluster whose postmaster.pid is in dataDir (the postmaster and its children). */
function clusterPids(dataDir: string): number[] {
  const pid = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
  return [pid, ...kids];
}
function pin(dataDir: string, cpus: string): void {
  for (const p of clusterPids(dataDir)) { try { execFileSync('taskset', ['-p', '-c', cpus, String(p)], { stdio: 'ignore' }); } catch { /* ended */ } }
}
function dataDirOf(url: string): string {
  return execFileSync('psql', [url, '-Atc', 'show data_directory'], { encoding: 'utf8' }).trim();
}

export async function readScaling(o: Opts): Promise<BenchRow[]> {
  const ranges = [10, 11, 12, 13, 14, 15].flatMap((z) => [rangeAround(18.0604, 59.3314, z, 3, 3), rangeAround(11.9668, 57.7072, z, 3, 3)]);
  const tiles = tilesOf(ranges);
  const q = 'source=crimes&from=2025-01-01&to=2026-01-01';
  const primaryDir = dataDirOf(o.primaryDbUrl), replicaDir = dataDirOf(o.replicaDbUrl);
  const all = `0-${Math.max(1, (await import('node:os')).cpus().length - 1)}`;
  if (o.pin) { pin(primaryDir, '0'); pin(replicaDir, '1'); }
  const env = { REGION: o.region, TILE_CACHE_ENTRIES: '0', PG_POOL_MAX: '10' };
  try {
    const one = await startService(3141, { ...env, DATABASE_URL: o.primaryDbUrl });
    let single: number;
    try {
      await runService(one.url, 'hexbins', q, tiles, {}, 2); // connections and plans warm
      single = (await runService(one.url, 'hexbins', q, tiles, {}, o.seconds)).tps;
    } finally { await one.stop(); }
    // two instances: one reads from the primary, the other from the replica (DATABASE_READ_URLS)
    const a = await startService(3142, { ...env, DATABASE_URL: o.primaryDbUrl });
    const b = await startService(3143, { ...env, DATABASE_URL: o.primaryDbUrl, DATABASE_READ_URLS: o.replicaDbUrl });
    let pair: number;
    try {
      await Promise.all([runService(a.url, 'hexbins', q, tiles, {}, 2), runService(b.url, 'hexbins', q, tiles, {}, 2)]);
      const [ra, rb] = await Promise.all([runService(a.url, 'hexbins', q, tiles, {}, o.seconds), runService(b.url, 'hexbins', q, tiles, {}, o.seconds)]);
      pair = ra.tps + rb.tps;
      o.notes.push(`two instances: ${ra.tps.toFixed(0)} + ${rb.tps.toFixed(0)} tiles/s (the second reading from the replica)`);
    } finally { await Promise.all([a.stop(), b.stop()]); }
    o.notes.push(`read scaling: ${tiles.length} hexbin tiles z10–z15, cache off, 10 clients per instance, ${o.seconds} s; ${o.pin ? 'primary pinned to CPU 0, replica to CPU 1 (taskset)' : 'no pinning'}`);
    return [
      { metric: 'one instance, one server: uncached tiles', value: single, unit: 'tiles/s' },
      { metric: 'two instances + one replica', value: pair, unit: 'tiles/s' },
      { metric: 'two instances + replica / one', value: pair / single, target: '≥ 1.6', ok: pair / single >= 1.6 },
    ];
  } finally {
    if (o.pin) { pin(primaryDir, all); pin(replicaDir, all); }
  }
}
