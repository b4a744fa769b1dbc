// Every request of the incidents (point) layer is recorded in the audit trail (recordAudit): who (key id and
// role), which tiles, with which filter. A map pan asks for dozens of tiles a second, so requests are grouped per
// principal and filter and written at most every 2 s (or every 500 tiles) as one audit row listing the tiles —
// every request is in the trail, without an INSERT per tile. flush() runs on shutdown.
import type { Queryable } from '../db/index.js';
import { recordAudit } from '../domain/audit/record-audit.js';
import type { Principal } from '../domain/access/principal.js';

type Pending = { principal: Principal; filter: Record<string, unknown>; tiles: string[]; first: string };

export class TileAudit {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Queryable, private readonly log: (e: unknown) => void, private readonly intervalMs = 2000) {}

  record(principal: Principal, tile: string, filter: Record<string, unknown>): void {
    const key = `${principal.keyId}|${principal.role}|${JSON.stringify(filter)}`;
    let p = this.pending.get(key);
    if (!p) { p = { principal, filter, tiles: [], first: new Date().toISOString() }; this.pending.set(key, p); }
    p.tiles.push(tile);
    if (p.tiles.length >= 500) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.intervalMs);
  }

  async flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const p of batch) {
      await recordAudit(this.db, p.principal, 'tiles.incidents', 'incidents', { ...p.filter, tiles: p.tiles, requests: p.tiles.length, firstAt: p.first })
        .catch(this.log);
    }
  }
}
