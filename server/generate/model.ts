/**
 * The synthetic data model (clearly labelled synthetic: ids start with SYN-, provider "synthetic", README in
 * every generated folder). Real geography and population, made-up events. Deterministic: one seedrandom stream
 * per kind (`<seed>:<kind>`), so the same seed and counts give byte-identical files.
 *
 * Where: crimes are a mixture — 35 % around metro stations (Gaussian, σ 250 m; busy hubs such as T-Centralen,
 * Slussen, Medborgarplatsen weigh up to 6×), 10 % around the city centre (σ 1.2 km from T-Centralen) and 55 %
 * spread over the basområden in proportion to their population (uniform inside the polygon). Shootings are rare
 * (1 per 2,500 crimes, at least 20) and come in episodes: a conflict near one of the stations of the areas the
 * police call particularly vulnerable, lasting ~6 weeks, points σ 300 m. Guard reports come from where guards
 * patrol: the hubs and centres (σ 150 m), evenings and weekends. Citizen reports follow population, daytime.
 *
 * When: days uniform over the period, weighted by weekday (Fri/Sat up) and season (summer up); the local hour
 * follows a profile per category (violence at night, theft in the afternoon, burglary in the day); 60 % of
 * burglaries, vehicle thefts, criminal damage and graffiti — and 5 % of the rest — have an uncertain span
 * (occurred_to 2–72 h / 1–3 h later), as a victim who finds the damage in the morning reports it.
 *
 * Survey: waves 2018, 2021, 2024 over the 117 stadsdelar; respondents ≈ 1 % of residents 16+ (at least 25),
 * women answering a little more often, age groups in proportion to the district's real population; each
 * indicator's true share depends on the district's risk (vulnerable areas high, the centre medium), sex (women
 * more unsafe at night) and age; observed shares are binomial draws, so small groups are noisy, as real ones are.
 */
import seedrandom from 'seedrandom';
import proj4 from 'proj4';
import * as turf from '@turf/turf';
import { stockholmLocalToUtc } from '../ingest/local-time.js';
import '../ingest/crs.js';
import { CRIME_CATEGORIES } from './categories.js';
import { loadWorld, type World } from './world.js';

export type GenerateOptions = {
  seed: string;
  crimes: number;
  shootings?: number;
  guardReports?: number;
  citizenReports?: number;
  /** first local day, inclusive (YYYY-MM-DD) */
  from?: string;
  /** last local day, inclusive */
  to?: string;
};

export type Rng = () => number;
const toSweref = proj4('EPSG:4326', 'EPSG:3006');
const M_PER_DEG_LAT = 111_320;

const HUBS: Record<string, number> = {
  'T-Centralen': 6, Slussen: 3, Medborgarplatsen: 3, Hötorget: 2.5, Fridhemsplan: 2, Odenplan: 2, Gullmarsplan: 2, Kista: 2.5,
  Skärholmen: 2.5, Farsta: 2, Vällingby: 2, Liljeholmen: 2, Östermalmstorg: 2, Kungsträdgården: 1.5, 'Gamla stan': 1.5, Rinkeby: 2, Tensta: 2, Husby: 1.5,
  Hjulsta: 1.2, 'Sundbybergs centrum': 1.5, 'Solna centrum': 1.5, Alby: 1.2, Fittja: 1.2,
};
const VULNERABLE = ['Rinkeby', 'Tensta', 'Husby', 'Hjulsta', 'Akalla', 'Skärholmen', 'Rågsved', 'Hagsätra', 'Bredäng', 'Vårberg', 'Fittja', 'Alby', 'Hallunda', 'Norsborg', 'Hässelby gård'];
const GUARD_SPOTS = ['T-Centralen', 'Medborgarplatsen', 'Slussen', 'Hötorget', 'Fridhemsplan', 'Odenplan', 'Kista', 'Skärholmen', 'Farsta', 'Vällingby', 'Rinkeby', 'Tensta', 'Husby', 'Liljeholmen', 'Gullmarsplan', 'Kungsträdgården', 'Östermalmstorg'];
const VULNERABLE_DISTRICTS = new Set(['RINKEBY', 'TENSTA', 'HUSBY', 'AKALLA', 'SKÄRHOLMEN', 'RÅGSVED', 'HAGSÄTRA', 'BREDÄNG', 'VÅRBERG', 'HÄSSELBY GÅRD', 'ÖSTBERGA', 'SÄTRA', 'KISTA', 'HÖGDALEN']);
const CENTRE_DISTRICTS = new Set(['NORRMALM', 'SÖDERMALM', 'GAMLA STAN', 'VASASTADEN', 'KUNGSHOLMEN', 'ÖSTERMALM']);

// share of reported street-level crime by category (rough Stockholm proportions)
const CRIME_WEIGHTS: Record<string, number> = {
  stold: 22, fickstold: 5, cykelstold: 6, inbrott: 7, fordonsstold: 8, skadegorelse: 10, klotter: 5, misshandel: 9, 'olaga-hot': 5, ofredande: 4,
  ran: 2, narkotika: 8, bedrageri: 6, sexualbrott: 1.5, 'vald-mot-tjansteman': 1, vapen: 1, 'mord-drap': 0.1, explosion: 0.05, brand: 0.5, ovrigt: 2,
};
type Profile = 'night' | 'day' | 'evening' | 'office';
const PROFILE_OF: Record<string, Profile> = {
  misshandel: 'night', 'olaga-hot': 'evening', ofredande: 'evening', ran: 'evening', 'vald-mot-tjansteman': 'night', sexualbrott: 'night', 'mord-drap': 'night',
  explosion: 'night', brand: 'night', narkotika: 'evening', vapen: 'evening', stold: 'day', fickstold: 'day', cykelstold: 'day', inbrott: 'office',
  fordonsstold: 'night', skadegorelse: 'night', klotter: 'night', bedrageri: 'office', ovrigt: 'day',
};
const HOURS: Record<Profile, number[]> = {
  night: [9, 8, 7, 5, 3, 2, 1.5, 1.5, 2, 2, 2.5, 3, 3.5, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7.5, 9, 10],
  evening: [4, 3, 2, 1.5, 1, 1, 1, 1.5, 2, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7, 7.5, 8, 8, 7.5, 7, 6, 5],
  day: [1.5, 1, 0.7, 0.5, 0.4, 0.5, 1, 2, 3.5, 4.5, 5.5, 6.5, 7, 7, 7, 7.5, 8, 8, 7, 5.5, 4.5, 3.5, 2.5, 2],
  office: [1, 0.8, 0.6, 0.5, 0.5, 0.7, 1.5, 3, 5, 6, 6.5, 6.5, 6, 6, 6.5, 6.5, 6, 5, 4, 3, 2.5, 2, 1.5, 1.2],
};
const WEEKDAY = [1.0, 0.95, 0.97, 1.0, 1.12, 1.2, 1.05]; // Mon … Sun
const WEEKEND_NIGHT = [1.0, 0.9, 0.9, 1.0, 1.3, 1.6, 1.4];
const UNCERTAIN = new Set(['inbrott', 'fordonsstold', 'skadegorelse', 'klotter', 'cykelstold']);

export function rngFor(seed: string, kind: string): Rng {
  return seedrandom(`${seed}:${kind}`);
}

export function cumulative(ws: number[]): number[] {
  const c: number[] = [];
  let s = 0;
  for (const w of ws) c.push((s += w));
  return c;
}
export function pick(cum: number[], r: number): number {
  const t = r * cum[cum.length - 1];
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] < t) lo = m + 1; else hi = m; }
  return lo;
}
export function gauss(rng: Rng): number {
  const u = Math.max(rng(), 1e-12), v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
export function around(rng: Rng, lon: number, lat: number, sigmaM: number): [number, number] {
  const dx = gauss(rng) * sigmaM, dy = gauss(rng) * sigmaM;
  return [lon + dx / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)), lat + dy / M_PER_DEG_LAT];
}

export type Spot = { lon: number; lat: number };

/**
 * Where the line generators put their points: Stockholm's detailed model (Places) or any region's municipalities
 * (RegionPlaces, region-places.ts). Each method draws from the rng it is given, so a generator's rows stay a pure
 * function of its seed.
 */
export interface PlaceSampler {
  /** where people live */
  inPopulation(rng: Rng): [number, number];
  /** around a busy hub (a metro station in Stockholm), σ metres */
  nearHub(rng: Rng, sigma?: number): [number, number];
  /** the wider city centre */
  nearCentre(rng: Rng): [number, number];
  /** the centre of a conflict (a shooting episode) */
  conflictSpot(rng: Rng): Spot;
  /** σ metres around a spot */
  near(rng: Rng, spot: Spot, sigma: number): [number, number];
  /** where guards patrol, σ metres */
  nearGuardSpot(rng: Rng, sigma: number): [number, number];
}

/** Spatial samplers over Stockholm city's real geography. */
export class Places implements PlaceSampler {
  private readonly basCum: number[];
  private readonly stationCum: number[];
  constructor(readonly world: World = loadWorld()) {
    this.basCum = cumulative(world.basomraden.map((b) => b.population + 1));
    this.stationCum = cumulative(world.stations.map((s) => HUBS[s.name] ?? 1));
  }
  station(name: string) { return this.world.stations.find((s) => s.name === name)!; }
  inPopulation(rng: Rng): [number, number] {
    const b = this.world.basomraden[pick(this.basCum, rng())];
    for (let i = 0; i < 40; i++) {
      const lon = b.bbox[0] + rng() * (b.bbox[2] - b.bbox[0]), lat = b.bbox[1] + rng() * (b.bbox[3] - b.bbox[1]);
      if (turf.booleanPointInPolygon([lon, lat], b.feature)) return [lon, lat];
    }
    return turf.pointOnFeature(b.feature).geometry.coordinates as [number, number];
  }
  nearStation(rng: Rng, sigma = 250): [number, number] {
    const s = this.world.stations[pick(this.stationCum, rng())];
    return around(rng, s.lon, s.lat, sigma);
  }
  nearOneOf(rng: Rng, names: string[], sigma: number): [number, number] {
    const s = this.station(names[Math.floor(rng() * names.length)]);
    return around(rng, s.lon, s.lat, sigma);
  }
  nearHub(rng: Rng, sigma = 250): [number, number] { return this.nearStation(rng, sigma); }
  nearCentre(rng: Rng): [number, number] {
    const c = this.station('T-Centralen');
    return around(rng, c.lon, c.lat, 1200);
  }
  conflictSpot(rng: Rng): Spot { return this.station(VULNERABLE[Math.floor(rng() * VULNERABLE.length)]); }
  near(rng: Rng, spot: Spot, sigma: number): [number, number] { return around(rng, spot.lon, spot.lat, sigma); }
  nearGuardSpot(rng: Rng, sigma: number): [number, number] { return this.nearOneOf(rng, GUARD_SPOTS, sigma); }
}

export function sweref(lon: number, lat: number): [string, string] {
  const [x, y] = toSweref.forward([lon, lat]);
  return [x.toFixed(1), y.toFixed(1)];
}

/** Day sampler over [from, to] with weekday and season weights; returns local y, m, d and weekday (0 = Mon). */
export class Days {
  private readonly days: { y: number; m: number; d: number; wd: number }[] = [];
  private readonly cum: number[];
  constructor(from: string, to: string, weekday = WEEKDAY) {
    const ws: number[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400_000) {
      const dt = new Date(t);
      const wd = (dt.getUTCDay() + 6) % 7;
      const m = dt.getUTCMonth() + 1;
      const season = 1 + 0.12 * Math.cos(((m - 7) / 12) * 2 * Math.PI);
      this.days.push({ y: dt.getUTCFullYear(), m, d: dt.getUTCDate(), wd });
      ws.push(weekday[wd] * season);
    }
    this.cum = cumulative(ws);
  }
  pick(rng: Rng) { return this.days[pick(this.cum, rng())]; }
}

const hourCum = Object.fromEntries(Object.entries(HOURS).map(([k, v]) => [k, cumulative(v)])) as Record<Profile, number[]>;

function localInstant(rng: Rng, day: { y: number; m: number; d: number }, profile: Profile): number {
  const h = pick(hourCum[profile], rng());
  return stockholmLocalToUtc(day.y, day.m, day.d, h, Math.floor(rng() * 60), 0);
}
export const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function defaults(o: GenerateOptions) {
  return {
    from: o.from ?? '2023-01-01', to: o.to ?? '2025-12-31',
    shootings: o.shootings ?? Math.max(20, Math.round(o.crimes / 2500)),
    guardReports: o.guardReports ?? Math.round(o.crimes / 10),
    citizenReports: o.citizenReports ?? Math.round(o.crimes / 20),
  };
}

export function* crimeLines(o: GenerateOptions, places: PlaceSampler = new Places()): Generator<string> {
  const d = defaults(o);
  const rng = rngFor(o.seed, 'crimes');
  const days = new Days(d.from, d.to);
  const cats = Object.keys(CRIME_WEIGHTS);
  const catCum = cumulative(cats.map((c) => CRIME_WEIGHTS[c]));
  yield 'id,occurred_from,occurred_to,category,x,y';
  for (let i = 1; i <= o.crimes; i++) {
    const cat = cats[pick(catCum, rng())];
    const r = rng();
    const [lon, lat] = r < 0.35 ? places.nearHub(rng) : r < 0.45 ? places.nearCentre(rng) : places.inPopulation(rng);
    const day = days.pick(rng);
    const from = localInstant(rng, day, PROFILE_OF[cat] ?? 'day');
    const span = UNCERTAIN.has(cat) ? (rng() < 0.6 ? 2 + Math.floor(rng() * 70) : 0) : rng() < 0.05 ? 1 + Math.floor(rng() * 3) : 0;
    const [x, y] = sweref(lon, lat);
    yield `SYN-C${String(i).padStart(7, '0')},${iso(from - span * 3600_000)},${span ? iso(from) : ''},${cat},${x},${y}`;
  }
}

export function* shootingLines(o: GenerateOptions, places: PlaceSampler = new Places()): Generator<string> {
  const d = defaults(o);
  const rng = rngFor(o.seed, 'shootings');
  const t0 = Date.parse(`${d.from}T00:00:00Z`), t1 = Date.parse(`${d.to}T00:00:00Z`);
  yield 'id,occurred_at,x,y,outcome,confirmed';
  const outcomes = ['killed', 'injured', 'none', 'unknown'];
  const outCum = cumulative([0.15, 0.3, 0.5, 0.05]);
  let i = 0;
  while (i < d.shootings) {
    // one episode: a conflict around one spot (a station in Stockholm), a few weeks long
    const spot = places.conflictSpot(rng);
    const start = t0 + rng() * Math.max(1, t1 - t0 - 42 * 86400_000);
    const size = 1 + Math.floor(rng() * 6);
    for (let k = 0; k < size && i < d.shootings; k++) {
      i++;
      const t = start + rng() * 42 * 86400_000;
      const dt = new Date(t);
      const when = stockholmLocalToUtc(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), pick(hourCum.night, rng()), Math.floor(rng() * 60), 0);
      const [lon, lat] = places.near(rng, spot, 300);
      const [x, y] = sweref(lon, lat);
      yield `SYN-S${String(i).padStart(6, '0')},${iso(when)},${x},${y},${outcomes[pick(outCum, rng())]},${rng() < 0.9 ? 'true' : 'false'}`;
    }
  }
}

export function* guardLines(o: GenerateOptions, places: PlaceSampler = new Places()): Generator<string> {
  const d = defaults(o);
  const rng = rngFor(o.seed, 'guard-reports');
  const days = new Days(d.from, d.to, WEEKEND_NIGHT);
  const kinds = ['avvisning', 'avlagsnande', 'omhandertagande', 'lob', 'gripande', 'rapport', 'annan'];
  const kCum = cumulative([30, 25, 10, 12, 8, 10, 5]);
  yield 'id,occurred_at,intervention,x,y';
  for (let i = 1; i <= d.guardReports; i++) {
    const [lon, lat] = places.nearGuardSpot(rng, 150);
    const when = localInstant(rng, days.pick(rng), 'evening');
    const [x, y] = sweref(lon, lat);
    yield `SYN-G${String(i).padStart(7, '0')},${iso(when)},${kinds[pick(kCum, rng())]},${x},${y}`;
  }
}

export function* citizenLines(o: GenerateOptions, places: PlaceSampler = new Places()): Generator<string> {
  const d = defaults(o);
  const rng = rngFor(o.seed, 'citizen-reports');
  const days = new Days(d.from, d.to);
  const cats = ['belysning', 'klotter', 'nedskrapning', 'otrygg-plats', 'skadegorelse', 'trafik', 'ovrigt'];
  const cCum = cumulative([18, 20, 22, 15, 10, 8, 7]);
  const end = Date.parse(`${d.to}T00:00:00Z`);
  yield 'id,reported_at,category,status,x,y';
  for (let i = 1; i <= d.citizenReports; i++) {
    const [lon, lat] = rng() < 0.8 ? places.inPopulation(rng) : places.nearHub(rng, 200);
    const when = localInstant(rng, days.pick(rng), 'day');
    const age = (end - when) / 86400_000;
    const status = age > 60 ? (rng() < 0.9 ? 'closed' : 'in-progress') : age > 10 ? (rng() < 0.5 ? 'closed' : 'in-progress') : 'new';
    const [x, y] = sweref(lon, lat);
    yield `SYN-T${String(i).padStart(7, '0')},${iso(when)},${cats[pick(cCum, rng())]},${status},${x},${y}`;
  }
}

export function* categoryLines(): Generator<string> {
  yield 'code,label_sv,label_en,group';
  for (const c of CRIME_CATEGORIES) yield [c.code, c.labelSv, c.labelEn, c.group].map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

export const INDICATORS = [
  { code: 'otrygg-kvall', sv: 'Känner sig otrygg utomhus sent en kväll i sitt bostadsområde', en: 'Feels unsafe outdoors late in the evening in their neighbourhood', kind: 'share', direction: 'higher-is-worse', base: 0.17, risk: 0.3, female: 0.11, old: 0.05 },
  { code: 'oro-brott', sv: 'Oroar sig för brottsligheten i samhället', en: 'Worries about crime in society', kind: 'share', direction: 'higher-is-worse', base: 0.38, risk: 0.15, female: 0.08, old: 0.08 },
  { code: 'avstar-aktivitet', sv: 'Har avstått från en aktivitet på grund av otrygghet', en: 'Has refrained from an activity because of insecurity', kind: 'share', direction: 'higher-is-worse', base: 0.11, risk: 0.18, female: 0.07, old: 0.03 },
  { code: 'utsatt-brott', sv: 'Har utsatts för brott under det senaste året', en: 'Has been a victim of crime in the past year', kind: 'share', direction: 'higher-is-worse', base: 0.14, risk: 0.06, female: -0.01, old: -0.05 },
  { code: 'trygghetsindex', sv: 'Trygghet i bostadsområdet (1 = mycket otrygg … 5 = mycket trygg)', en: 'Safety in the neighbourhood (1 = very unsafe … 5 = very safe)', kind: 'mean', direction: 'higher-is-better', base: 4.1, risk: -0.9, female: -0.2, old: -0.05 },
] as const;

export function* indicatorLines(): Generator<string> {
  yield 'code,text_sv,text_en,kind,direction';
  for (const i of INDICATORS) yield [i.code, `"${i.sv}"`, `"${i.en}"`, i.kind, i.direction].join(',');
}

const SURVEY_BANDS: { band: string; from: [string, number][] }[] = [
  { band: '16-29', from: [['16-19', 1], ['20-44', 0.4]] },
  { band: '30-44', from: [['20-44', 0.6]] },
  { band: '45-64', from: [['45-64', 1]] },
  { band: '65-84', from: [['65-79', 1], ['80+', 0.6]] },
];

export function* surveyLines(o: GenerateOptions, world: World = loadWorld(), waves = [2018, 2021, 2024]): Generator<string> {
  const rng = rngFor(o.seed, 'survey');
  yield 'wave,area_code,indicator,group,respondents,value';
  const districts = [...world.districts].sort((a, b) => a.code.localeCompare(b.code));
  const risk = new Map(districts.map((d) => [d.code, VULNERABLE_DISTRICTS.has(d.code) ? 0.75 + 0.25 * rng() : CENTRE_DISTRICTS.has(d.code) ? 0.35 + 0.2 * rng() : 0.05 + 0.3 * rng()]));
  for (const wave of waves) {
    const drift = (wave - 2021) * 0.008;
    for (const dist of districts) {
      const band = (sex: string, b: string) => dist.byBand.get(`${sex}:${b}`) ?? 0;
      const adults = (sex: string) => SURVEY_BANDS.reduce((s, g) => s + g.from.reduce((a, [b, w]) => a + w * band(sex, b), 0), 0);
      const nF = Math.round(Math.max(14, adults('female') * 0.011 * (0.85 + 0.3 * rng())));
      const nM = Math.round(Math.max(11, adults('male') * 0.009 * (0.85 + 0.3 * rng())));
      const rk = risk.get(dist.code)!;
      for (const ind of INDICATORS) {
        const p = (female: number, old: number) => ind.base + ind.risk * rk + ind.female * female + ind.old * old + (ind.kind === 'share' ? drift : -drift * 3);
        const draw = (n: number, mean: number) => {
          if (ind.kind === 'share') {
            const q = Math.min(0.98, Math.max(0.01, mean));
            let k = 0;
            for (let j = 0; j < n; j++) if (rng() < q) k++;
            return { n, v: n ? k / n : 0, k };
          }
          let s = 0;
          for (let j = 0; j < n; j++) s += Math.min(5, Math.max(1, Math.round(mean + gauss(rng) * 0.9)));
          return { n, v: n ? s / n : 0, k: s };
        };
        const f = draw(nF, p(1, 0.3)), m = draw(nM, p(-1, 0.3));
        const all = { n: f.n + m.n, v: (f.k + m.k) / (f.n + m.n) };
        const rows: [string, number, number][] = [['all', all.n, all.v], ['female', f.n, f.v], ['male', m.n, m.v]];
        const total = adults('female') + adults('male') || 1;
        for (const g of SURVEY_BANDS) {
          const share = g.from.reduce((a, [b, w]) => a + w * (band('female', b) + band('male', b)), 0) / total;
          const n = Math.round(all.n * share);
          const old = g.band === '65-84' ? 1 : g.band === '16-29' ? -0.3 : 0;
          const r = draw(n, p(0, old));
          rows.push([g.band, r.n, r.v]);
        }
        for (const [grp, n, v] of rows) yield `${wave},${dist.code},${ind.code},${grp},${n},${v.toFixed(4)}`;
      }
    }
  }
}

/** Real population per stadsdel (2016, summed from the basområden inside it): not synthetic, derived. */
export function* populationLines(world: World = loadWorld()): Generator<string> {
  yield 'area_code,year,sex,age_band,population';
  for (const d of [...world.districts].sort((a, b) => a.code.localeCompare(b.code))) {
    for (const [k, v] of [...d.byBand.entries()].sort()) {
      const [sex, band] = k.split(':');
      yield `${d.code},2016,${sex},${band},${v}`;
    }
  }
}

export function datasetCounts(o: GenerateOptions) {
  const d = defaults(o);
  return { crimes: o.crimes, shootings: d.shootings, guardReports: d.guardReports, citizenReports: d.citizenReports, from: d.from, to: d.to };
}
