// Server-sent progress for a long import (issue 19): with `Accept: text/event-stream` the import answers `progress`
// events (rows read, rows per second) and ends with its `result` — the same summary as the plain answer — or a
// `problem` naming each bad row, with nothing written. Both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ROWS = 20_000;

/** `ROWS` crimes spread over Stockholm, one per 13 minutes of 2025; `bad` puts an impossible date on that data row. */
function crimesCsv(prefix: string, bad?: number): string {
  const lines = ['id,occurred_from,occurred_to,category,x,y'];
  for (let i = 1; i <= ROWS; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 13 * 60_000).toISOString().slice(0, 19);
    lines.push(`${prefix}-${i},${i === bad ? '2025-13-40T00:00:00' : t},,ran,${668000 + (i % 97) * 90},${6575000 + (i % 89) * 110}`);
  }
  return `${lines.join('\n')}\n`;
}

type Event = { event: string; data: Record<string, unknown> };
const parseEvents = (body: string): Event[] => body.split('\n\n').filter((b) => b.trim()).map((b) => {
  const event = /^event: (.+)$/m.exec(b)?.[1] ?? '';
  return { event, data: JSON.parse(/^data: (.+)$/m.exec(b)?.[1] ?? 'null') };
});

describe.each(backends)('import progress as server-sent events on %s', (kind) => {
  let t: TestApp;
  let analyst: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    analyst = (await createKey(t.db, { name: 'progress-analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await t?.close(); });

  const post = (body: string) => t.app.inject({
    method: 'POST', url: '/api/imports/crimes?fileName=lang.csv', payload: body,
    headers: { authorization: `Bearer ${analyst}`, 'content-type': 'text/csv', accept: 'text/event-stream' },
  });
  const count = async (prefix: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int n FROM incidents WHERE external_id LIKE $1', [`${prefix}-%`])).rows[0].n;

  it('streams rows read and rows per second, then the summary of the committed import', async () => {
    const r = await post(crimesCsv('SSE'));
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/event-stream/);
    const events = parseEvents(r.body);
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress[0].data).toEqual({ rowsRead: 0, rowsPerSecond: 0 });
    const read = progress.map((e) => Number(e.data.rowsRead));
    expect(read).toEqual([...read].sort((a, b) => a - b));
    expect(Math.max(...read)).toBeLessThanOrEqual(ROWS);
    for (const e of progress.slice(1)) expect(Number(e.data.rowsPerSecond)).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last.event).toBe('result');
    expect(last.data).toMatchObject({ rowsRead: ROWS, inserted: ROWS, committed: true, fileName: 'lang.csv' });
    expect(events.filter((e) => e.event === 'result')).toHaveLength(1);
    expect(await count('SSE')).toBe(ROWS);
  });

  it('ends with a problem naming the bad row, and writes nothing', async () => {
    const r = await post(crimesCsv('BAD', 17_000));
    const last = parseEvents(r.body).at(-1)!;
    expect(last.event).toBe('problem');
    expect(last.data).toMatchObject({ status: 422, title: 'Import rejected', rejected: 1 });
    expect(JSON.stringify(last.data.errors)).toContain('line 17001');
    expect(await count('BAD')).toBe(0);
  });
});
