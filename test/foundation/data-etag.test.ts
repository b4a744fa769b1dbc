// Issue 22, an HTTP cache in front: a public aggregate carries an ETag made of its URL, language and the data
// version; sent back in If-None-Match it gets a 304 with no body, and an import changes it. Exact (analyst)
// answers never carry one. On both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

describe.each(backends)('ETags of the public aggregates on %s', (kind) => {
  let t: TestApp;
  let analyst = '';
  const URL_STATS = '/api/stats?areaSet=stadsdelar&source=crimes&from=2025-01-01&to=2026-01-01';
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    analyst = (await createKey(t.db, { name: 'etag analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('a public answer has an ETag; sent back it gets 304 without a body; another language has another one', async () => {
    const a = await get(URL_STATS);
    expect(a.statusCode).toBe(200);
    const etag = a.headers.etag as string;
    expect(etag).toMatch(/^W\/"d\d+-/);
    expect(a.headers['cache-control']).toMatch(/public/);
    const b = await get(URL_STATS, { 'if-none-match': etag });
    expect(b.statusCode).toBe(304);
    expect(b.body).toBe('');
    expect((await get(URL_STATS, { 'accept-language': 'en' })).headers.etag).not.toBe(etag);
    expect((await get(`${URL_STATS}&category=stold`)).headers.etag).not.toBe(etag);
  });

  it('an import changes it: the old ETag gets the new answer', async () => {
    const etag = (await get(URL_STATS)).headers.etag as string;
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', [{ externalId: 'etag-1', category: 'stold', occurredFrom: new Date('2025-05-01T10:00:00Z'), occurredTo: null, x: 674700, y: 6578900, precision: 'exact' }]));
    const c = await get(URL_STATS, { 'if-none-match': etag });
    expect(c.statusCode).toBe(200);
    expect(c.headers.etag).not.toBe(etag);
  });

  it('exact answers for analysts carry none and are never served as 304', async () => {
    const etag = (await get(URL_STATS)).headers.etag as string;
    const r = await get(URL_STATS, { authorization: `Bearer ${analyst}`, 'if-none-match': etag });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['cache-control']).toMatch(/private, no-store/);
  });
});
