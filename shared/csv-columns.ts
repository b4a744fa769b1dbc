// CSV in Swedish mode, for the server's exports and the map's table export alike: Swedish column names, ja/nej for
// yes/no, coded values in words (utkast, not draft) and the decimal comma (with ";" between fields, as a Swedish spreadsheet expects). English mode keeps the
// API's own field names (areaId, ratePer1000 …) and true/false. A column without a Swedish name keeps its own.

export type CsvLang = 'sv' | 'en';

export const CSV_COLUMNS_SV: Record<string, string> = {
  areaId: 'områdes-id', code: 'kod', name: 'namn', parentCode: 'överordnat område',
  count: 'antal', population: 'befolkning', ratePer1000: 'per 1 000 invånare', previousCount: 'antal jämförelseperiod',
  rateRatio: 'kvot mot jämförelseperiod', rateRatioCiLow: 'kvot KI låg', rateRatioCiHigh: 'kvot KI hög',
  changeSignificant: 'signifikant förändring', unplacedAtThisLevel: 'ej placerade på denna nivå', suppressed: 'dold',
  periodFrom: 'period från', periodLastDay: 'period till och med', previousPeriodFrom: 'jämförelseperiod från',
  previousPeriodLastDay: 'jämförelseperiod till och med', comparisonRule: 'jämförelseregel',
  value: 'värde', ciLow: 'KI låg', ciHigh: 'KI hög', respondents: 'svarande', previousWaveValue: 'värde föregående mätning',
  differenceSignificant: 'signifikant skillnad', suppression: 'skäl för döljning', basisKind: 'underlag', basisArea: 'underlagsområde',
  basisStrata: 'sammanvägda områden', strataOmitted: 'utelämnade områden',
  surveyValue: 'enkätvärde', zFear: 'z otrygghet', zCrime: 'z brott', gap: 'skillnad', class: 'klass',
  // the city's overview of lägesbilder and action plans (GET /api/reports?areaSet=…&f=csv)
  latestReportDate: 'senaste lägesbild', stale: 'inaktuell lägesbild', reportCount: 'antal lägesbilder', planId: 'åtgärdsplan-id',
  planStatus: 'åtgärdsplanens status', priorities: 'prioriteringar', measuresPlanned: 'åtgärder planerade',
  measuresOngoing: 'åtgärder pågående', measuresDone: 'åtgärder genomförda', measuresCancelled: 'åtgärder avbrutna',
  indicatorsOnTrack: 'indikatorer i fas', indicatorsOffTrack: 'indikatorer ej i fas',
  indicatorsNoCertainChange: 'indikatorer utan säker förändring', indicatorsNotEnoughData: 'indikatorer med för få händelser',
  indicatorsTooEarly: 'indikatorer för tidigt att bedöma', overdueMeasures: 'försenade åtgärder',
};

/** The API's coded values of some columns, in the words a Swedish reader uses (English mode keeps the codes). */
export const CSV_VALUES_SV: Record<string, Record<string, string>> = {
  planStatus: { draft: 'utkast', decided: 'beslutad', published: 'publicerad' },
  suppression: { primary: 'för få svarande', complementary: 'komplementär döljning' },
  basisKind: { own: 'eget', pooled: 'sammanvägt', containing: 'omgivande område', 'not-available': 'saknas' },
  class: { 'fear-above-crime': 'otrygghet över brottsnivå', 'crime-above-fear': 'brottsnivå över otrygghet', aligned: 'i linje' },
};

/** A text cell of `column` as the CSV's language shows it: a coded value in Swedish words, anything else as it is. */
export const csvValue = (column: string, v: string, lang: CsvLang) => (lang === 'sv' ? CSV_VALUES_SV[column]?.[v] ?? v : v);

export const csvColumnName = (column: string, lang: CsvLang) => (lang === 'sv' ? CSV_COLUMNS_SV[column] ?? column : column);

export const csvBoolean = (b: boolean, lang: CsvLang) => (lang === 'sv' ? (b ? 'ja' : 'nej') : (b ? 'true' : 'false'));
