// Issue 15, survey: an attacker with a public client tries to recover hidden survey values by differencing. Every
// group's respondents used to be public, so a hidden sex group's value was (all·n_all − other·n_other) / n_hidden,
// and two small age bands pooled the same way. The attacker here collects every value and respondent count that any
// public route publishes (/api/survey for every group, the area profile, the lägesbild JSON) — for the current and
// the previous wave — and tries every subset of hidden groups smaller than the respondent minimum. Analysts still
// see every figure exactly.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const MIN = 30;
const IND = 'otrygg-kvall';
const SEX = ['female', 'male'];
const AGE = ['16-29', '30-44', '45-64', '65-84'];

// wave, area, group → [respondents, value]; each partition sums to 'all' (respondents and answers)
type Rows = Record<string, Record<string, Record<string, [number, number]>>>;
const DATA: Rows = {
  2024: {
    // male 22 (< 30); ages 16-29 (12) and 30-44 (15) are both small and together 27 (< 30)
    HUSBY: { all: [212, 87 / 212], female: [190, 76 / 190], male: [22, 11 / 22], '16-29': [12, 6 / 12], '30-44': [15, 6 / 15], '45-64': [100, 0.4], '65-84': [85, 35 / 85] },
    RINKEBY: { all: [400, 0.3], female: [200, 0.35], male: [200, 0.25], '16-29': [100, 0.3], '30-44': [100, 0.3], '45-64': [100, 0.3], '65-84': [100, 0.3] },
    TENSTA: { all: [300, 0.2], female: [150, 0.24], male: [150, 0.16], '16-29': [75, 0.2], '30-44': [75, 0.2], '45-64': [75, 0.2], '65-84': [75, 0.2] },
    // 'all' itself below the minimum
    KISTA: { all: [25, 0.4], female: [14, 0.5], male: [11, 3 / 11] },
  },
  2021: {
    HUSBY: { all: [180, 63 / 180], female: [160, 0.35], male: [20, 0.35], '16-29': [10, 0.3], '30-44': [12, 5 / 12], '45-64': [90, 32 / 90], '65-84': [68, 0.35] },
    RINKEBY: { all: [380, 0.3], female: [190, 0.3], male: [190, 0.3] },
  },
};

type Fig = { value: number | null; respondents: number | null };
/** What the attacker has learnt about one (wave, area, group): any value or respondent count seen anywhere. */
type Knowledge = Map<string, { value?: number; n?: number }>;
const key = (wave: string, area: string, group: string) => `${wave}|${area}|${group}`;
function learn(k: Knowledge, wave: string, area: string, group: string, value: number | null | undefined, n: number | null | undefined) {
  const e = k.get(key(wave, area, group)) ?? {};
  if (value !== null && value !== undefined) e.value = value;
  if (n !== null && n !== undefined) e.n = n;
  k.set(key(wave, area, group), e);
}

/** The attack: the pooled value of `target` as (all·n_all − Σ others v·n) / (n_all − Σ others n), or null when a needed number is unknown. */
function derive(k: Knowledge, wave: string, area: string, partition: string[], target: string[]): number | null {
  const all = k.get(key(wave, area, 'all'));
  if (all?.value === undefined || all.n === undefined) return null;
  let s = all.value * all.n, n = all.n;
  for (const g of partition.filter((x) => !target.includes(x))) {
    const e = k.get(key(wave, area, g));
    if (e?.value === undefined || e.n === undefined) return null;
    s -= e.value * e.n; n -= e.n;
  }
  return n > 0 ? s / n : null;
}

function subsets<T>(xs: T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]).filter((s) => s.length > 0);
}

/** Every subset of a partition whose true pooled respondents are below the minimum (what must never be derivable). */
function smallTargets(wave: string, area: string, partition: string[]): string[][] {
  const rows = DATA[wave][area];
  return subsets(partition.filter((g) => rows[g])).filter((s) => s.reduce((a, g) => a + rows[g][0], 0) < MIN);
}

describe.each(backends)('survey disclosure by differencing on %s', (kind) => {
  let t: TestApp;
  let analyst: string;
  const ids: Record<string, number> = {};
  const get = async (url: string, auth?: string) => {
    const r = await t.app.inject({ url, headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r.json();
  };
  const imp = (k: 'indicators' | 'survey', text: string, opts: Record<string, unknown> = {}) =>
    runImport(t.db, { kind: k, options: importOptionsSchema.parse(opts), input: Readable.from([Buffer.from(text)]), fileName: `${k}.csv` });

  beforeAll(async () => {
    t = await openTestApp(kind);
    await imp('indicators', `code,text_sv,text_en,kind,direction\n${IND},Känner sig otrygg sent en kväll,Feels unsafe late in the evening,share,higher-is-worse\n`);
    const lines = ['wave,area_code,indicator,group,respondents,value'];
    for (const [wave, areas] of Object.entries(DATA)) for (const [area, groups] of Object.entries(areas)) {
      for (const [g, [n, v]] of Object.entries(groups)) lines.push(`${wave},${area},${IND},${g},${n},${v.toFixed(6)}`);
    }
    const s = await imp('survey', lines.join('\n') + '\n', { areaSet: 'stadsdelar' });
    expect(s.committed).toBe(true);
    for (const code of ['HUSBY', 'RINKEBY', 'TENSTA', 'KISTA']) {
      ids[code] = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1`, [code])).rows[0].id);
    }
    analyst = (await createKey(t.db, { name: 'disclosure analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await t?.close(); });

  /** Everything /api/survey tells a caller, for every group of both waves (current values and previous-wave fields). */
  async function fromSurveyApi(k: Knowledge, auth?: string) {
    for (const wave of ['2024', '2021']) for (const g of ['all', ...SEX, ...AGE]) {
      const j = await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=${wave}&group=${g}`, auth);
      for (const r of j.rows as ({ code: string; previousWaveValue: number | null; previousRespondents: number | null } & Fig)[]) {
        learn(k, wave, r.code, g, r.value, r.respondents);
        if (wave === '2024') learn(k, '2021', r.code, g, r.previousWaveValue, r.previousRespondents);
      }
    }
  }
  async function fromProfile(k: Knowledge, code: string, auth?: string) {
    const p = await get(`/api/areas/${ids[code]}/profile?from=2024-01-01&to=2025-01-01`, auth);
    for (const i of p.survey.items as ({ indicator: string; group: string; previousWaveValue: number | null; previousRespondents: number | null } & Fig)[]) {
      if (i.indicator !== IND) continue;
      learn(k, '2024', code, i.group, i.value, i.respondents);
      learn(k, '2021', code, i.group, i.previousWaveValue, i.previousRespondents);
    }
    return p;
  }
  async function fromLagesbild(k: Knowledge, code: string, auth?: string) {
    const c = await get(`/api/reports/lagesbild?areaId=${ids[code]}&from=2024-01-01&to=2025-01-01&f=json`, auth);
    const ind = (c.insecurity.indicators as { code: string; groups: ({ group: string; previousValue: number | null; cityValue: number | null; suppressed: boolean; suppression?: string | null } & Fig)[] }[]).find((x) => x.code === IND)!;
    for (const g of ind.groups) {
      learn(k, '2024', code, g.group, g.value === null ? null : g.value / 100, g.respondents);
      learn(k, '2021', code, g.group, g.previousValue === null ? null : g.previousValue / 100, null);
    }
    return ind;
  }

  /** No subset of hidden groups below the minimum can be derived from what was learnt. */
  function expectNothingDerivable(k: Knowledge, where: string) {
    for (const wave of ['2024', '2021']) for (const area of Object.keys(DATA[wave])) for (const part of [SEX, AGE]) {
      for (const target of smallTargets(wave, area, part)) {
        expect(derive(k, wave, area, part, target), `${where}: ${wave} ${area} [${target.join(', ')}] is derivable`).toBeNull();
        for (const g of target) {
          const e = k.get(key(wave, area, g));
          expect(e?.value, `${where}: ${wave} ${area} ${g} value published`).toBeUndefined();
        }
      }
    }
  }

  it('/api/survey: a hidden sex group, two small age bands and a small previous wave cannot be derived by the public; analysts see all', async () => {
    // the attack is real: on exact data (analyst) the formula recovers the small groups
    const x: Knowledge = new Map();
    await fromSurveyApi(x, analyst);
    expect(derive(x, '2024', 'HUSBY', SEX, ['male'])).toBeCloseTo(0.5, 4);
    expect(derive(x, '2024', 'HUSBY', AGE, ['16-29', '30-44'])).toBeCloseTo(12 / 27, 4);
    expect(derive(x, '2021', 'HUSBY', SEX, ['male'])).toBeCloseTo(0.35, 4);
    // and analysts see every value, respondent count and CI exactly, nothing suppressed
    for (const [g, [n, v]] of Object.entries(DATA[2024].HUSBY)) {
      const r = (await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=2024&group=${g}`, analyst)).rows.find((y: { code: string }) => y.code === 'HUSBY');
      expect(r.value).toBeCloseTo(v, 6); expect(r.respondents).toBe(n); expect(r.suppressed).toBe(false);
      expect(r.ciLow).not.toBeNull();
    }
    // the public
    const k: Knowledge = new Map();
    await fromSurveyApi(k);
    expectNothingDerivable(k, '/api/survey');
    // what a hidden group publishes: nothing but why
    const husby = async (g: string, wave = '2024') => (await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=${wave}&group=${g}`)).rows.find((x: { code: string }) => x.code === 'HUSBY');
    const male = await husby('male');
    expect([male.value, male.ciLow, male.ciHigh, male.respondents, male.suppressed, male.suppression]).toEqual([null, null, null, null, true, 'primary']);
    const female = await husby('female');
    expect([female.value, female.ciLow, female.ciHigh, female.respondents, female.suppressed, female.suppression]).toEqual([null, null, null, null, true, 'complementary']);
    expect(female.previousWaveValue).toBeNull(); expect(female.previousRespondents).toBeNull();
    expect((await husby('16-29')).suppression).toBe('primary');
    expect((await husby('30-44')).suppression).toBe('primary');
    // the smallest visible band is hidden as well; the pooled hidden bands now hold 112 ≥ 30 respondents
    expect((await husby('65-84')).suppression).toBe('complementary');
    const mid = await husby('45-64');
    expect([mid.value, mid.respondents, mid.suppressed, mid.suppression]).toEqual([0.4, 100, false, null]);
    const all = await husby('all');
    expect([all.respondents, all.suppressed]).toEqual([212, false]);
    // 'all' below the minimum publishes no respondents either (and so neither do its groups)
    const kista = (await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=2024&group=all`)).rows.find((x: { code: string }) => x.code === 'KISTA');
    expect([kista.value, kista.respondents, kista.suppression]).toEqual([null, null, 'primary']);
    // areas where every group is large are untouched
    const rinkeby = (await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=2024&group=male`)).rows.find((x: { code: string }) => x.code === 'RINKEBY');
    expect([rinkeby.value, rinkeby.respondents, rinkeby.suppressed]).toEqual([0.25, 200, false]);
  });

  it('the area profile: the same derivations fail, alone and combined with /api/survey', async () => {
    const k: Knowledge = new Map();
    for (const code of ['HUSBY', 'KISTA']) await fromProfile(k, code);
    expectNothingDerivable(k, 'profile');
    await fromSurveyApi(k);
    expectNothingDerivable(k, 'profile + /api/survey');
    const p = await get(`/api/areas/${ids.HUSBY}/profile?from=2024-01-01&to=2025-01-01`);
    const item = (g: string) => p.survey.items.find((i: { indicator: string; group: string }) => i.indicator === IND && i.group === g);
    expect([item('male').respondents, item('female').respondents, item('16-29').respondents, item('30-44').respondents, item('65-84').respondents]).toEqual([null, null, null, null, null]);
    const exact = await get(`/api/areas/${ids.HUSBY}/profile?from=2024-01-01&to=2025-01-01`, analyst);
    const xm = exact.survey.items.find((i: { indicator: string; group: string }) => i.indicator === IND && i.group === 'male');
    expect([xm.value, xm.respondents, xm.suppressed, xm.previousRespondents]).toEqual([0.5, 22, false, 20]);
  });

  it('the lägesbild JSON: the same derivations fail, and the city value is built from published figures only', async () => {
    const k: Knowledge = new Map();
    const ind = await fromLagesbild(k, 'HUSBY');
    await fromLagesbild(k, 'KISTA');
    expectNothingDerivable(k, 'lägesbild');
    await fromSurveyApi(k);
    for (const code of ['HUSBY', 'KISTA']) await fromProfile(k, code);
    expectNothingDerivable(k, 'lägesbild + profile + /api/survey');
    const g = (x: string) => ind.groups.find((y) => y.group === x)!;
    expect([g('male').value, g('male').respondents, g('male').suppressed, g('male').suppression]).toEqual([null, null, true, 'primary']);
    expect([g('female').value, g('female').respondents, g('female').suppressed, g('female').suppression]).toEqual([null, null, true, 'complementary']);
    // the city value of a group: the respondent-weighted mean of what /api/survey publishes (Husby's hidden women left out)
    for (const grp of ['female', '65-84']) {
      const rows = (await get(`/api/survey?areaSet=stadsdelar&indicator=${IND}&wave=2024&group=${grp}`)).rows as Fig[];
      const pub = rows.filter((r) => r.value !== null && r.respondents !== null);
      const mean = pub.reduce((a, r) => a + r.value! * r.respondents!, 0) / pub.reduce((a, r) => a + r.respondents!, 0);
      expect(g(grp).cityValue, grp).toBeCloseTo(Math.round(mean * 1000) / 10, 6);
    }
    // analysts: exact, nothing hidden
    const exact = (await get(`/api/reports/lagesbild?areaId=${ids.HUSBY}&from=2024-01-01&to=2025-01-01&f=json`, analyst)).insecurity.indicators.find((x: { code: string }) => x.code === IND);
    const em = exact.groups.find((y: { group: string }) => y.group === 'male');
    expect([em.value, em.respondents, em.suppressed]).toEqual([50, 22, false]);
  });
});
