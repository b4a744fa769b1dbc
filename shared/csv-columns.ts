// CSV in Swedish mode, for the server's exports and the map's table export alike: Swedish column names, ja/nej for
// yes/no and the decimal comma (with ";" between fields, as a Swedish spreadsheet expects). English mode keeps the
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

export const csvColumnName = (column: string, lang: CsvLang) => (lang === 'sv' ? CSV_COLUMNS_SV[column] ?? column : column);

export const csvBoolean = (b: boolean, lang: CsvLang) => (lang === 'sv' ? (b ? 'ja' : 'nej') : (b ? 'true' : 'false'));
