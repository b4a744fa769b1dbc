// Wall-clock times without an offset are Europe/Stockholm local time. Converts them to instants with the
// offset in force then (CET +01:00 / CEST +02:00); the offset per local hour is cached (a few thousand entries).
const fmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** Offset of Stockholm from UTC at a UTC instant, in minutes. */
export function stockholmOffsetMinutes(utcMs: number): number {
  const p = Object.fromEntries(fmt.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

const cache = new Map<number, number>();

/**
 * Local Stockholm wall time → UTC milliseconds. In the spring-forward gap the later offset applies (02:30 → 03:30
 * CEST); in the autumn overlap the first occurrence (summer time) is taken.
 */
export function stockholmLocalToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const key = Math.floor(wall / 3600_000);
  let off = cache.get(key);
  if (off === undefined) {
    // try the summer offset first, then winter: the first consistent one wins
    off = 60;
    for (const cand of [120, 60]) {
      if (stockholmOffsetMinutes(wall - cand * 60000) === cand) { off = cand; break; }
    }
    if (cache.size > 200_000) cache.clear();
    cache.set(key, off);
  }
  return wall - off * 60000;
}
