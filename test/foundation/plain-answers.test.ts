// Issue 17, the API's part: unknown codes are a 400 listing the valid ones, validator messages are sentences a person
// understands (Swedish first, English on request), every query parameter in /docs has a description and an example,
// survey groups, waves and indicators are discoverable with labels and scale, CSV in Swedish mode is Swedish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

type Problem = { status: number; title: string; detail: string; parameter?: string; validCodes?: string[]; errors?: { parameter: string; message: string }[] };

const JARGON_WORDS = /expected|received|Invalid (enum|input|option|string|value)|Required|NaN|Too (small|big)/;
/** Jargon outside the quoted values the caller sent (echoing `cellSize=NaN` back is fine). */
const jargonIn = (s: string) => JARGON_WORDS.exec(s.replace(/"[^"]*"/g, '""'))?.[0] ?? null;

describe.each(backends)('plain answers on %s', (kind) => {
  let t: TestApp;
  const problem = async (url: string, lang?: 'sv' | 'en') => {
    const r = await t.app.inject({ url, headers: lang ? { 'accept-language': lang === 'en' ? 'en-GB,en;q=0.9' : 'sv-SE,sv;q=0.9' } : {} });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    return r.json() as Problem;
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    await t.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO survey_indicators (code, text_sv, text_en, kind, direction) VALUES
        ('otrygg-kvall', 'Känner sig otrygg ute sent en kväll', 'Feels unsafe out late in the evening', 'share', 'higher-is-worse'),
        ('trygghetsindex', 'Trygghetsindex', 'Safety index', 'mean', 'higher-is-better')`);
      await tx.query(`INSERT INTO survey_waves (id, name, year, area_set_id) VALUES ('tm2023', 'Trygghetsmätning 2023', 2023, 'stadsdelar')`);
      const husby = (await tx.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id='stadsdelar' AND code='HUSBY'`)).rows[0].id;
      for (const [ind, grp, n, v] of [['otrygg-kvall', 'all', 400, 0.4], ['otrygg-kvall', '16-29', 120, 0.3], ['otrygg-kvall', '30-44', 100, 0.35],
        ['otrygg-kvall', '45-64', 100, 0.45], ['otrygg-kvall', '65-84', 80, 0.5], ['otrygg-kvall', 'female', 210, 0.5], ['trygghetsindex', 'all', 400, 3.2]] as const) {
        await tx.query(`INSERT INTO survey_results (wave_id, area_id, indicator, grp, respondents, value, row_hash) VALUES ('tm2023',$1,$2,$3,$4,$5,'x')`, [husby, ind, grp, n, v]);
      }
    });
  });
  afterAll(async () => { await t?.close(); });

  describe('unknown codes answer 400 with the valid codes', () => {
    it('an unknown category on stats, hotspots, tiles, divergence and the area profile', async () => {
      const husby = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id='stadsdelar' AND code='HUSBY'`)).rows[0].id;
      for (const url of ['/api/stats?areaSet=stadsdelar&category=xyz', '/api/stats?areaSet=stadsdelar&category=ran,xyz',
        '/api/hotspots?areaSet=stadsdelar&category=xyz&from=2024-01-01&to=2025-01-01',
        '/tiles/hexbins/14/9058/4751.mvt?category=xyz',
        '/api/divergence?areaSet=stadsdelar&indicator=otrygg-kvall&category=xyz',
        `/api/areas/${husby}/profile?category=xyz`]) {
        const p = await problem(url);
        expect(p.parameter, url).toBe('category');
        expect(p.validCodes, url).toContain('ran');
        expect(p.validCodes, url).not.toContain('xyz');
        expect(p.detail, url).toMatch(/Okänd kategori.*xyz/);
        expect(p.errors?.[0].parameter).toBe('category');
      }
      const en = await problem('/api/stats?areaSet=stadsdelar&category=xyz', 'en');
      expect(en.detail).toMatch(/Unknown category.*xyz/);
    });

    it('an unknown area set, indicator, wave, group and source', async () => {
      const cases: [string, string, string][] = [
        ['/api/stats?areaSet=nosuch', 'areaSet', 'stadsdelar'],
        ['/api/hotspots?areaSet=nosuch&from=2024-01-01&to=2025-01-01', 'areaSet', 'stadsdelar'],
        ['/api/survey?areaSet=nosuch&indicator=otrygg-kvall', 'areaSet', 'stadsdelar'],
        ['/api/survey?areaSet=stadsdelar&indicator=nope', 'indicator', 'otrygg-kvall'],
        ['/api/divergence?areaSet=stadsdelar&indicator=nope', 'indicator', 'trygghetsindex'],
        ['/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&wave=tm1999', 'wave', 'tm2023'],
        ['/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=16-19', 'group', '16-29'],
        ['/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=80%2B', 'group', '65-84'],
        ['/api/stats?areaSet=stadsdelar&source=xyz', 'source', 'crimes'],
        ['/api/categories?source=xyz', 'source', 'police-events'],
      ];
      for (const [url, parameter, valid] of cases) {
        const p = await problem(url);
        expect(p.parameter, url).toBe(parameter);
        expect(p.validCodes, url).toContain(valid);
        expect(jargonIn(p.detail), `${url}: ${p.detail}`).toBeNull();
      }
    });

    it('a path parameter naming an unknown area set stays 404', async () => {
      expect((await t.app.inject('/api/area-sets/nosuch/areas')).statusCode).toBe(404);
    });

    it('an OGC queryable outside its values lists them', async () => {
      const r = await t.app.inject('/ogc/collections/hotspots/items?class=xyz');
      expect(r.statusCode).toBe(400);
      expect(r.json().validCodes).toContain('hot-99');
    });
  });

  describe('validator messages are sentences', () => {
    it('no zod jargon over several endpoints, Swedish by default and English on request', async () => {
      const urls = ['/api/stats', '/api/stats?areaSet=stadsdelar&from=2024-13-01', '/api/stats?areaSet=stadsdelar&f=xml',
        '/api/hotspots?areaSet=stadsdelar&cellSize=abc', '/api/hotspots?areaSet=stadsdelar&cellSize=NaN', '/api/survey?areaSet=stadsdelar',
        '/api/places/1/evaluation?before=12', '/api/stats?areaSet=stadsdelar&category=%25%25', '/api/reports/lagesbild?areaId=x'];
      for (const url of urls) {
        const r = await t.app.inject(url);
        if (r.statusCode !== 400) continue; // a route may ask for a role first
        const sv = r.json() as Problem;
        expect(jargonIn(sv.detail), `${url}: ${sv.detail}`).toBeNull();
        for (const e of sv.errors ?? []) expect(jargonIn(e.message), `${url}: ${e.message}`).toBeNull();
        const en = await problem(url, 'en');
        expect(jargonIn(en.detail), `${url}: ${en.detail}`).toBeNull();
      }
      const missing = await problem('/api/stats');
      expect(missing.detail).toMatch(/"areaSet".*saknas/);
      expect((await problem('/api/stats', 'en')).detail).toMatch(/"areaSet".*is missing/);
      const nan = await problem('/api/hotspots?areaSet=stadsdelar&cellSize=abc');
      expect(nan.detail).toMatch(/"cellSize".*(tal|en av)/);
      const fmt = await problem('/api/stats?areaSet=stadsdelar&f=xml', 'en');
      expect(fmt.detail).toMatch(/"f" must be one of: json, csv, geojson/);
      expect(fmt.validCodes).toEqual(['json', 'csv', 'geojson']);
      const date = await problem('/api/stats?areaSet=stadsdelar&from=2024-13-01');
      expect(date.detail).toMatch(/"from".*datum/);
    });
  });

  it('/docs: every query parameter of every route has a description and an example', async () => {
    const doc = (await t.app.inject('/docs/json')).json() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; description?: string; example?: unknown; examples?: unknown; schema?: { example?: unknown; examples?: unknown; description?: string } }[] }>> };
    const lacking: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.in !== 'query') continue;
          const described = !!(p.description ?? p.schema?.description);
          const example = p.example !== undefined || p.examples !== undefined || p.schema?.example !== undefined || p.schema?.examples !== undefined;
          if (!described || !example) lacking.push(`${method.toUpperCase()} ${path} ?${p.name}${described ? '' : ' (no description)'}${example ? '' : ' (no example)'}`);
        }
      }
    }
    expect(lacking).toEqual([]);
  });

  describe('survey discoverable from the API', () => {
    it('/api/survey/groups: the groups in the data with sv and en labels, and the < 30 respondents rule', async () => {
      const r = await t.app.inject('/api/survey/groups');
      expect(r.statusCode, r.body).toBe(200);
      const g = r.json() as { meta: { minRespondents: number; suppressionRule: { sv: string; en: string } }; groups: { code: string; labelSv: string; labelEn: string; kind: string; waves: string[] }[] };
      expect(g.groups.map((x) => x.code)).toEqual(['all', 'female', '16-29', '30-44', '45-64', '65-84']);
      expect(g.groups.find((x) => x.code === '16-29')).toMatchObject({ labelSv: '16–29 år', labelEn: '16–29 years', kind: 'age', waves: ['tm2023'] });
      expect(g.groups.find((x) => x.code === 'female')).toMatchObject({ labelSv: 'Kvinnor', labelEn: 'Women', kind: 'sex' });
      expect(g.meta.minRespondents).toBe(30);
      expect(g.meta.suppressionRule.sv).toContain('< 30 svarande');
      expect(g.meta.suppressionRule.en).toContain('< 30 respondents');
      const one = (await t.app.inject('/api/survey/groups?indicator=trygghetsindex')).json() as { groups: { code: string }[] };
      expect(one.groups.map((x) => x.code)).toEqual(['all']);
    });

    it('indicators say share (percent) or a mean with its scale', async () => {
      const ind = (await t.app.inject('/api/survey/indicators')).json() as { code: string; kind: string; scale: { min: number; max: number } | null; unit: string }[];
      expect(ind.find((i) => i.code === 'trygghetsindex')).toMatchObject({ kind: 'mean', unit: 'mean', scale: { min: 1, max: 5 } });
      expect(ind.find((i) => i.code === 'otrygg-kvall')).toMatchObject({ kind: 'share', unit: 'percent', scale: null });
      const waves = (await t.app.inject('/api/survey/waves')).json() as { id: string; groups: string[] }[];
      expect(waves[0].groups).toEqual(['all', 'female', '16-29', '30-44', '45-64', '65-84']);
    });
  });

  describe('CSV in Swedish mode', () => {
    it('Swedish headers, ja/nej, decimal comma, no comment row; English mode keeps English headers', async () => {
      const sv = await t.app.inject('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&f=csv&lang=sv');
      expect(sv.statusCode, sv.body).toBe(200);
      const lines = sv.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0].startsWith('#')).toBe(false);
      expect(lines[0].split(';').slice(0, 5)).toEqual(['områdes-id', 'kod', 'namn', 'värde', 'KI låg']);
      const husby = lines.find((l) => l.includes(';HUSBY;'))!;
      expect(husby).toContain(';0,4;');
      expect(husby).toMatch(/;nej;/);
      expect(husby).not.toMatch(/true|false/);
      const byHeader = await t.app.inject({ url: '/api/stats?areaSet=stadsdelar&f=csv&from=2024-01-01&to=2025-01-01', headers: { 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' } });
      const head = byHeader.body.replace(/^\uFEFF/, '').split('\r\n')[0];
      expect(head.split(';').slice(0, 5)).toEqual(['områdes-id', 'kod', 'namn', 'antal', 'befolkning']);
      expect(byHeader.body).not.toMatch(/;(true|false)(;|\r)/);
      expect(byHeader.headers.link).toMatch(/f=json.*rel="describedby"/);
      const en = await t.app.inject({ url: '/api/stats?areaSet=stadsdelar&f=csv&from=2024-01-01&to=2025-01-01', headers: { 'accept-language': 'en' } });
      expect(en.body.split('\r\n')[0].split(',').slice(0, 4)).toEqual(['areaId', 'code', 'name', 'count']);
      expect(en.body).toMatch(/,(true|false)(,|\r)/);
      const plain = await t.app.inject('/api/stats?areaSet=stadsdelar&f=csv&from=2024-01-01&to=2025-01-01');
      expect(plain.body.split('\r\n')[0].startsWith('areaId,code,name')).toBe(true);
    });
  });
});
