// Suggests a column mapping for a provider's table (pure: the header, some sample rows, the kind): each target field
// from common Swedish and English column names, then from the values — 7-digit numbers near 6.5 M are SWEREF 99 TM
// northings (y), 6-digit ones easting (x) (so X/Y in the Swedish geodetic sense, X = north, are swapped), decimals in
// -90..90 / -180..180 latitude / longitude; the date format of the time column (ISO, YYYY-MM-DD HH:MM, DD/MM/YYYY,
// Excel serial days); the decimal mark; and the category values that are none of our codes.
import type { ColumnMapping, DateFormat } from './column-mapping.js';
import type { ImportKind } from './import-options.js';

export type SuggestedColumn = { source: string; target: string | null; by: 'name' | 'values' | null };
export type MappingSuggestion = {
  mapping: ColumnMapping;
  /** every column of the file, with the target suggested for it (null: not imported) */
  columns: SuggestedColumn[];
  /** required target fields no column was found for */
  missing: string[];
  /** category values of the file that are none of the known codes (map them with mapping.values, or they are rejected) */
  unknownCategories: string[];
  notes: string[];
};

const LOC = ['x', 'y', 'lat', 'lon', 'area_code'];
const TARGETS: Partial<Record<ImportKind, { fields: string[]; required: string[]; time?: string; category?: string }>> = {
  crimes: { fields: ['id', 'occurred_from', 'occurred_to', 'category', ...LOC], required: ['id', 'occurred_from', 'category'], time: 'occurred_from', category: 'category' },
  shootings: { fields: ['id', 'occurred_at', 'occurred_to', 'outcome', 'confirmed', ...LOC], required: ['id', 'occurred_at', 'outcome'], time: 'occurred_at', category: 'outcome' },
  'guard-reports': { fields: ['id', 'occurred_at', 'occurred_to', 'intervention', ...LOC], required: ['id', 'occurred_at', 'intervention'], time: 'occurred_at', category: 'intervention' },
  'citizen-reports': { fields: ['id', 'reported_at', 'category', 'status', ...LOC], required: ['id', 'reported_at', 'category'], time: 'reported_at', category: 'category' },
  population: { fields: ['area_code', 'year', 'sex', 'age_band', 'population'], required: ['area_code', 'year', 'sex', 'age_band', 'population'] },
  categories: { fields: ['code', 'label_sv', 'label_en', 'group'], required: ['code', 'label_sv', 'label_en', 'group'] },
  survey: { fields: ['wave', 'area_code', 'indicator', 'group', 'respondents', 'value', 'ci_low', 'ci_high'], required: ['area_code', 'indicator', 'group', 'respondents', 'value'] },
  indicators: { fields: ['code', 'text_sv', 'text_en', 'kind', 'direction'], required: ['code', 'text_sv', 'text_en', 'kind', 'direction'] },
  'area-counts': { fields: ['area_code', 'period', 'category', 'count'], required: ['area_code', 'period', 'category', 'count'], category: 'category' },
};

/** Names (as keys: lower case, no diacritics, letters and digits only) by target; "time" is the kind's time field. */
const NAMES: Record<string, string[]> = {
  id: ['id', 'arendenummer', 'arendenr', 'arende', 'arendeid', 'diarienummer', 'diarienr', 'handelsenummer', 'handelsenr', 'anmalningsnummer', 'rapportnummer', 'rapportnr', 'lopnummer', 'casenumber', 'caseid', 'caseno', 'reference', 'eventid', 'incidentid', 'reportid'],
  time: ['brottsdatum', 'brottsdatumfran', 'brottstid', 'handelsetid', 'handelsedatum', 'tidpunkt', 'datum', 'datumtid', 'starttid', 'fran', 'fromdate', 'from', 'date', 'datetime', 'time', 'timestamp', 'start', 'rapporterad', 'rapportdatum', 'inkom', 'inkommen', 'occurredfrom', 'occurredat', 'reportedat'],
  occurred_to: ['occurredto', 'brottsdatumtill', 'till', 'tilldatum', 'sluttid', 'todate', 'to', 'end', 'enddate'],
  category: ['category', 'brottskod', 'brottstyp', 'brottskategori', 'kategori', 'brott', 'crimecode', 'crimetype', 'offence', 'offense', 'typ', 'type'],
  outcome: ['outcome', 'utfall', 'skadeutfall', 'foljd', 'konsekvens'],
  intervention: ['intervention', 'atgard', 'atgarder', 'ingripande', 'action', 'measure'],
  status: ['status', 'arendestatus', 'state'],
  confirmed: ['confirmed', 'bekraftad', 'bekraftat', 'verifierad'],
  x: ['x', 'xkoordinat', 'xkoord', 'koordinatx', 'easting', 'ostlig', 'ostkoordinat', 'e', 'sweref99x', 'swerefx'],
  y: ['y', 'ykoordinat', 'ykoord', 'koordinaty', 'northing', 'nordlig', 'nordkoordinat', 'n', 'sweref99y', 'swerefy'],
  lat: ['lat', 'latitude', 'latitud', 'breddgrad', 'wgs84lat'],
  lon: ['lon', 'lng', 'long', 'longitude', 'longitud', 'langdgrad', 'wgs84lon'],
  area_code: ['areacode', 'omradeskod', 'omrade', 'stadsdelskod', 'desokod', 'deso', 'regso', 'kommunkod', 'regionkod', 'kod'],
  period: ['period', 'manad', 'kvartal', 'ar', 'artal', 'tid', 'tidsperiod', 'redovisningsperiod', 'month', 'quarter', 'year'],
  count: ['count', 'antal', 'antalbrott', 'anmaldabrott', 'antalanmaldabrott', 'antalanmalningar', 'varde', 'value', 'number', 'n'],
  year: ['year', 'ar', 'artal'],
  sex: ['sex', 'kon'],
  population: ['population', 'befolkning', 'folkmangd', 'antal'],
  respondents: ['respondents', 'svarande', 'antalsvar'],
  value: ['value', 'varde', 'andel'],
};

/** Columns that name areas rather than code them (a second choice for area_code). */
const AREA_NAMES = ['kommun', 'kommunnamn', 'omradesnamn', 'stadsdel', 'region', 'areaname', 'municipality'];

const key = (h: string) => h.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/g, '');
const num = (s: string): number | null => {
  const t = s.trim().replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : null;
};
const median = (a: number[]) => { const s = [...a].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };

const DATE_PATTERNS: [DateFormat, RegExp][] = [
  ['YYYY-MM-DD HH:MM', /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}(:\d{2})?$/],
  ['iso', /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/],
  ['DD/MM/YYYY', /^\d{1,2}[/.]\d{1,2}[/.]\d{4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$/],
  ['excel-serial', /^\d{5}(\.\d+)?$/],
];

/** The date format most (≥ 80 %) of the non-empty values are written in, or null. */
function dateFormatOf(values: string[]): DateFormat | null {
  const v = values.map((s) => s.trim()).filter(Boolean);
  if (!v.length) return null;
  const share = (re: RegExp, extra: (s: string) => boolean = () => true) => v.filter((s) => re.test(s) && extra(s)).length / v.length;
  const [spaced, iso, dmy, serial] = DATE_PATTERNS.map(([, re]) => re);
  if (share(spaced) >= 0.8) return 'YYYY-MM-DD HH:MM';
  if (v.filter((s) => iso.test(s) || spaced.test(s)).length / v.length >= 0.8) return 'iso';
  if (share(dmy) >= 0.8) return 'DD/MM/YYYY';
  if (share(serial, (s) => Number(s) >= 20000 && Number(s) <= 80000) >= 0.8) return 'excel-serial';
  return null;
}

type NumStats = { all: boolean; min: number; max: number; med: number; fraction: boolean; comma: boolean };
function numbersOf(values: string[]): NumStats | null {
  const v = values.map((s) => s.trim()).filter(Boolean);
  if (!v.length) return null;
  const n = v.map(num);
  const ok = n.filter((x): x is number => x !== null);
  if (ok.length / v.length < 0.8) return null;
  return { all: ok.length === v.length, min: Math.min(...ok), max: Math.max(...ok), med: median(ok), fraction: ok.some((x) => !Number.isInteger(x)), comma: v.some((s) => /^\s*[+-]?\d+,\d+\s*$/.test(s)) };
}

export function suggestMapping(headers: readonly string[], sampleRows: readonly (readonly string[])[], kind: ImportKind, knownCodes?: readonly string[]): MappingSuggestion {
  const spec = TARGETS[kind];
  const columns: SuggestedColumn[] = headers.map((h) => ({ source: h, target: null, by: null }));
  const notes: string[] = [];
  if (!spec) return { mapping: { columns: {} }, columns, missing: [], unknownCategories: [], notes: [`${kind} files are GeoJSON or JSON: no column mapping`] };
  const values = (i: number) => sampleRows.map((r) => r[i] ?? '');
  const taken = new Map<string, number>();
  const assign = (i: number, target: string, by: 'name' | 'values') => { columns[i] = { source: headers[i], target, by }; taken.set(target, i); };
  const targetOfName = (t: string) => (t === 'time' ? spec.time! : t);

  // 1. names: a column named as a target first, then the synonyms
  headers.forEach((h, i) => {
    const k = key(h);
    const t = spec.fields.find((f) => key(f) === k);
    if (t && !taken.has(t)) assign(i, t, 'name');
  });
  headers.forEach((h, i) => {
    if (columns[i].target) return;
    const k = key(h);
    for (const [name, list] of Object.entries(NAMES)) {
      const t = targetOfName(name);
      if (!spec.fields.includes(t) || taken.has(t) || !list.includes(k)) continue;
      if (name === 'time' && !spec.time) continue;
      assign(i, t, 'name');
      return;
    }
  });

  // an area given by its name (Kommun: Stockholm) when no column gives codes: area-counts accepts names too
  if (kind === 'area-counts' && !taken.has('area_code')) {
    const i = headers.findIndex((h, j) => !columns[j].target && AREA_NAMES.includes(key(h)));
    if (i >= 0) assign(i, 'area_code', 'name');
  }

  // 2. values: coordinates and dates in columns the names left open
  const stats = headers.map((_, i) => numbersOf(values(i)));
  const isNorthing = (s: NumStats | null) => !!s && s.min >= 6_100_000 && s.max <= 7_700_000;
  const isEasting = (s: NumStats | null) => !!s && s.min >= 100_000 && s.max < 1_000_000 && (s.fraction || s.med > 100_000);
  if (spec.fields.includes('x')) {
    headers.forEach((_, i) => {
      if (columns[i].target) return;
      const s = stats[i];
      if (!taken.has('y') && isNorthing(s)) assign(i, 'y', 'values');
      else if (!taken.has('x') && isEasting(s)) assign(i, 'x', 'values');
    });
    const deg = headers.map((_, i) => (!columns[i].target && stats[i]?.fraction && stats[i]!.min >= -180 && stats[i]!.max <= 180 ? i : -1)).filter((i) => i >= 0);
    if (!taken.has('lat') && !taken.has('lon') && !taken.has('x') && deg.length >= 2) {
      // two degree columns: the one within -90..90 with the larger values is latitude (Sweden: ~55–69 N, ~11–24 E)
      const lats = deg.filter((i) => stats[i]!.min >= -90 && stats[i]!.max <= 90).sort((a, b) => stats[b]!.med - stats[a]!.med);
      const latI = lats[0];
      const lonI = deg.find((i) => i !== latI);
      if (latI !== undefined && lonI !== undefined) { assign(latI, 'lat', 'values'); assign(lonI, 'lon', 'values'); }
    }
    // X/Y in the Swedish geodetic sense (X = northing): swap
    const xi = taken.get('x'), yi = taken.get('y');
    if (xi !== undefined && yi !== undefined && isNorthing(stats[xi]) && isEasting(stats[yi])) {
      assign(xi, 'y', 'values'); assign(yi, 'x', 'values');
      notes.push(`"${headers[xi]}" holds northings and "${headers[yi]}" eastings (X = north, as in Swedish survey practice): mapped to y and x`);
    }
  }
  if (spec.time && !taken.has(spec.time)) {
    const i = headers.findIndex((_, j) => !columns[j].target && dateFormatOf(values(j)) !== null && dateFormatOf(values(j)) !== 'excel-serial');
    if (i >= 0) assign(i, spec.time, 'values');
  }

  // 3. CRS, date format, decimal mark, category values
  const mapping: ColumnMapping = { columns: {} };
  for (const c of columns) if (c.target) mapping.columns[c.target] = c.source;
  const xs = taken.has('x') ? stats[taken.get('x')!] : null;
  const ys = taken.has('y') ? stats[taken.get('y')!] : null;
  if (xs && ys) {
    if (xs.max <= 180 && ys.max <= 90 && xs.min >= -180 && ys.min >= -90) mapping.crs = 'EPSG:4326';
    else if (xs.med >= 100_000 && xs.med < 250_000) mapping.crs = 'EPSG:3011';
    else mapping.crs = 'EPSG:3006';
  }
  const dateCols = [...taken.entries()].filter(([t]) => ['occurred_from', 'occurred_to', 'occurred_at', 'reported_at'].includes(t)).map(([, i]) => i);
  const formats = dateCols.map((i) => dateFormatOf(values(i))).filter((f): f is DateFormat => f !== null);
  if (formats.length) mapping.dateFormat = formats[0];
  const numericCols = ['x', 'y', 'lat', 'lon'].filter((t) => taken.has(t)).map((t) => stats[taken.get(t)!]);
  if (numericCols.some((s) => s?.comma)) mapping.decimalMark = ',';
  let unknownCategories: string[] = [];
  if (spec.category && taken.has(spec.category) && knownCodes?.length) {
    const known = new Set(knownCodes.map((c) => c.toLowerCase()));
    unknownCategories = [...new Set(values(taken.get(spec.category)!).map((s) => s.trim()).filter((s) => s && !known.has(s.toLowerCase())))].sort((a, b) => a.localeCompare(b, 'sv'));
  }
  const hasLocation = ['x', 'y'].every((t) => taken.has(t)) || ['lat', 'lon'].every((t) => taken.has(t)) || taken.has('area_code');
  const missing = spec.required.filter((t) => !taken.has(t));
  if (spec.fields.includes('x') && !hasLocation) missing.push('x,y or lat,lon or area_code');
  return { mapping, columns, missing, unknownCategories, notes };
}
