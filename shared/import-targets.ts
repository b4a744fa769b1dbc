// What a provider's table is mapped onto (issue 19): the target fields of each tabular import kind (those the import
// requires first), the CRSs and date formats a column mapping may name, and which kind a file's columns look like.
// Shared so the web app's import wizard offers the same fields the server's mapping suggestion fills.

export const MAPPING_CRS = ['EPSG:3006', 'EPSG:4326', 'EPSG:3011'] as const;
export const MAPPING_DATE_FORMATS = ['iso', 'YYYY-MM-DD HH:MM', 'DD/MM/YYYY', 'excel-serial'] as const;

const LOC = ['x', 'y', 'lat', 'lon', 'area_code'];
/** Target fields by tabular kind; `required` must each have a column (and incidents a location: x,y, lat,lon or area_code). */
export const IMPORT_TARGETS: Record<string, { fields: string[]; required: string[]; category?: string }> = {
  crimes: { fields: ['id', 'occurred_from', 'occurred_to', 'category', ...LOC], required: ['id', 'occurred_from', 'category'], category: 'category' },
  shootings: { fields: ['id', 'occurred_at', 'occurred_to', 'outcome', 'confirmed', ...LOC], required: ['id', 'occurred_at', 'outcome'], category: 'outcome' },
  'guard-reports': { fields: ['id', 'occurred_at', 'occurred_to', 'intervention', ...LOC], required: ['id', 'occurred_at', 'intervention'], category: 'intervention' },
  'citizen-reports': { fields: ['id', 'reported_at', 'category', 'status', ...LOC], required: ['id', 'reported_at', 'category'], category: 'category' },
  population: { fields: ['area_code', 'year', 'sex', 'age_band', 'population'], required: ['area_code', 'year', 'sex', 'age_band', 'population'] },
  categories: { fields: ['code', 'label_sv', 'label_en', 'group'], required: ['code', 'label_sv', 'label_en', 'group'] },
  survey: { fields: ['wave', 'area_code', 'indicator', 'group', 'respondents', 'value', 'ci_low', 'ci_high'], required: ['area_code', 'indicator', 'group', 'respondents', 'value'] },
  indicators: { fields: ['code', 'text_sv', 'text_en', 'kind', 'direction'], required: ['code', 'text_sv', 'text_en', 'kind', 'direction'] },
  'area-counts': { fields: ['area_code', 'period', 'category', 'count'], required: ['area_code', 'period', 'category', 'count'], category: 'category' },
};

/** Kinds whose file is GeoJSON (or a zipped Shapefile, for areas) and that need the area-set options. */
export const AREA_KINDS = new Set(['areas']);
/** Kinds that count within an existing area set and need its id and the source counted (options areaSet, source). */
export const COUNT_KINDS = new Set(['area-counts']);

const key = (h: string) => h.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/g, '');

/** The kind a file looks like from its name and header (null: no opinion); only kinds in `offered` are answered. */
export function guessImportKind(fileName: string, headers: readonly string[], offered: readonly string[]): string | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const pick = (k: string) => (offered.includes(k) ? k : null);
  if (ext === 'zip' || ext === 'geojson' || ext === 'shp') return pick('areas');
  if (ext === 'jsonl' || ext === 'json') return pick('polisen-events');
  const h = new Set(headers.map(key));
  const any = (...names: string[]) => names.some((n) => h.has(n));
  // the first rule that matches a kind the server offers
  const rules: [string, () => boolean][] = [
    ['area-counts', () => any('period', 'manad', 'month') && any('count', 'antal') && any('areacode', 'kommunkod', 'omradeskod')],
    ['shootings', () => any('utfall', 'skadeutfall', 'outcome')],
    ['guard-reports', () => any('atgard', 'atgarder', 'ingripande', 'intervention')],
    ['citizen-reports', () => any('reportedat', 'rapporterad', 'rapportdatum', 'inkom')],
    ['survey', () => any('respondents', 'svarande', 'antalsvar')],
    ['population', () => any('population', 'befolkning', 'folkmangd') && any('ageband', 'aldersgrupp', 'alder')],
    ['categories', () => any('labelsv')],
    ['indicators', () => any('textsv')],
    ['crimes', () => headers.length > 0],
  ];
  for (const [kind, test] of rules) if (offered.includes(kind) && test()) return kind;
  return null;
}
