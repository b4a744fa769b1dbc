// The follow-up report's words in Swedish (default) and English, in the city programme's vocabulary (åtgärdsplan,
// prioritering, orsaksanalys, problemtriangeln, uppföljning). The orsaksanalys steps, period and figure words are the
// lägesbild's (reports/texts.ts), so both documents name them alike.
import type { Lang } from '../reports/types.js';

const sv = {
  title: 'Uppföljning av åtgärdsplan',
  subtitle: 'Indikatorer mot utgångsläget och åtgärdernas status — underlag för stadsdelsnämnden',
  lawNote: 'Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete: kommunen ska besluta om en åtgärdsplan utifrån lägesbilden och följa upp den. Värdena här är beräknade ur samma statistik som kartan och lägesbilden, inte inskrivna.',
  plan: 'Åtgärdsplan', area: 'Område', status: 'Status', decidedBy: 'Beslutad av', decidedAt: 'Beslutad', version: 'Version',
  planDataVersion: 'Planens dataversion', dataVersion: 'Dataversion', asOf: 'Uppföljningsdatum', generated: 'Skapad',
  notDecided: 'Ej beslutad', byDistrict: 'Stadsdelsförvaltningen',
  planStatus: { draft: 'Utkast', decided: 'Beslutad', published: 'Publicerad' } as Record<string, string>,
  viewerPublic: 'Publik version: antal under {k} visas som "< {k}" och skiljs inte från noll; övriga antal har ett litet brus och är avrundade.',
  viewerExact: 'Analytikerversion: aktuella antal visas exakt (utgångslägena är alltid den publika versionens). Får inte spridas utanför organisationen.',
  toc: 'Innehåll', s1: 'Sammanfattning', s2: 'Prioriteringar och indikatorer', s3: 'Åtgärder', s4: 'Metod',
  summaryIndicators: 'Indikatorer', summaryMeasures: 'Åtgärder', summaryOverdue: 'Försenade åtgärder',
  followStatus: { 'on-track': 'säker minskning', 'off-track': 'säker ökning', 'no-certain-change': 'ingen säker förändring', 'not-enough-data': 'för få händelser', 'too-early': 'för tidigt att bedöma' } as Record<string, string>,
  measureStatus: { planned: 'Planerad', ongoing: 'Pågående', done: 'Genomförd', cancelled: 'Avbruten' } as Record<string, string>,
  origin: 'Ursprung', originOwn: 'Förvaltningens egen prioritering (inte ett fynd i lägesbilden).',
  originFinding: 'Fynd i lägesbilden', originFigures: 'Underlag (frysta vid dataversion {v})',
  causalAnalysis: 'Orsaksanalys', triangle: 'Problemtriangeln',
  triangleParts: { offender: 'Gärningsperson', target: 'Offer eller objekt', place: 'Plats' },
  indicators: 'Indikatorer', noIndicators: 'Inga indikatorer för prioriteringen.',
  indCols: { indicator: 'Indikator', baseline: 'Utgångsläge', current: 'Nu', ratio: 'Kvot (95 % KI)', status: 'Bedömning', target: 'Mål per 1 000' },
  perThousand: '{rate} per 1 000 inv.', months: '{n} månader',
  reached: 'uppnått', notReached: 'ej uppnått', targetBy: 'senast {date}',
  measures: 'Åtgärder', noMeasures: 'Planen har inga åtgärder.',
  meaCols: { measure: 'Åtgärd', owner: 'Ansvarig', partners: 'Samverkanspartner', period: 'Start–slut', status: 'Status' },
  overdue: 'Försenad: slutdatum {date} har passerat', forPriorities: 'Prioritering: {list}', cost: 'Kostnad {cost} kr',
  empty: 'Ej ifyllt.',
  method: {
    change: 'Bedömning', changeText: 'Varje indikator jämför sin senaste period (3, 6, 12 eller 24 månader) med utgångsläget, som räknades ur statistiken när indikatorn lades till och sedan är fryst. Kvoten mellan takterna per dag har ett 95 % konfidensintervall från ett exakt Poisson-test, samma test som statistiken och lägesbilden använder. "Säker minskning" bara när hela intervallet ligger under 1, "säker ökning" när det ligger över 1, annars "ingen säker förändring": slumpens variation kallas aldrig förbättring.',
    early: 'För tidigt och för få', earlyText: 'Så länge det inte finns en hel ny period efter utgångsläget jämförs inte talen. Antal under röjandegränsen bedöms inte.',
    overdue: 'Försenade åtgärder', overdueText: 'En åtgärd vars slutdatum har passerat och som fortfarande är planerad eller pågående räknas som försenad.',
    suppression: 'Röjandeskydd', suppressionText: 'I den publika versionen visas antal under {k} som "< {k}"; övriga antal skyddas med cellnyckelmetoden som i all statistik i tjänsten.',
  },
  page: 'Sida', of: 'av',
};

type FollowUpTexts = typeof sv;

const en: FollowUpTexts = {
  title: 'Action plan follow-up',
  subtitle: 'Indicators against the baseline and the status of the measures — for the district council',
  lawNote: 'Act (2023:196) on municipalities\' responsibility for crime prevention: the municipality must decide an action plan from the situation picture (lägesbild) and follow it up. The values here are computed from the same statistics as the map and the lägesbild, not typed in.',
  plan: 'Action plan', area: 'Area', status: 'Status', decidedBy: 'Decided by', decidedAt: 'Decided', version: 'Version',
  planDataVersion: 'The plan\'s data version', dataVersion: 'Data version', asOf: 'Follow-up date', generated: 'Generated',
  notDecided: 'Not decided', byDistrict: 'The district administration',
  planStatus: { draft: 'Draft', decided: 'Decided', published: 'Published' },
  viewerPublic: 'Public version: counts below {k} are shown as "< {k}" and not told apart from zero; other counts carry a small noise and are rounded.',
  viewerExact: 'Analyst version: current counts are exact (baselines are always the public version\'s). Not to be shared outside the organisation.',
  toc: 'Contents', s1: 'Summary', s2: 'Priorities and indicators', s3: 'Measures', s4: 'Method',
  summaryIndicators: 'Indicators', summaryMeasures: 'Measures', summaryOverdue: 'Overdue measures',
  followStatus: { 'on-track': 'certain fall', 'off-track': 'certain rise', 'no-certain-change': 'no certain change', 'not-enough-data': 'too few events', 'too-early': 'too early to judge' },
  measureStatus: { planned: 'Planned', ongoing: 'Ongoing', done: 'Done', cancelled: 'Cancelled' },
  origin: 'Origin', originOwn: 'The district\'s own priority (not a finding of the lägesbild).',
  originFinding: 'Finding of the lägesbild', originFigures: 'Figures (frozen at data version {v})',
  causalAnalysis: 'Cause analysis (orsaksanalys)', triangle: 'Problem triangle',
  triangleParts: { offender: 'Offender', target: 'Victim or target', place: 'Place' },
  indicators: 'Indicators', noIndicators: 'No indicators for this priority.',
  indCols: { indicator: 'Indicator', baseline: 'Baseline', current: 'Now', ratio: 'Ratio (95% CI)', status: 'Assessment', target: 'Target per 1,000' },
  perThousand: '{rate} per 1,000 inh.', months: '{n} months',
  reached: 'reached', notReached: 'not reached', targetBy: 'by {date}',
  measures: 'Measures', noMeasures: 'The plan has no measures.',
  meaCols: { measure: 'Measure', owner: 'Owner', partners: 'Partners', period: 'Start–end', status: 'Status' },
  overdue: 'Overdue: end date {date} has passed', forPriorities: 'Priority: {list}', cost: 'Cost SEK {cost}',
  empty: 'Not filled in.',
  method: {
    change: 'Assessment', changeText: 'Each indicator compares its latest period (3, 6, 12 or 24 months) with its baseline, computed from the statistics when the indicator was added and frozen since. The ratio of the daily rates has a 95% confidence interval from an exact Poisson test, the same test the statistics and the lägesbild use. "Certain fall" only when the whole interval lies below 1, "certain rise" when it lies above 1, otherwise "no certain change": chance variation is never called an improvement.',
    early: 'Too early and too few', earlyText: 'While there is no full new period after the baseline the figures are not compared. Counts below the disclosure threshold are not judged.',
    overdue: 'Overdue measures', overdueText: 'A measure whose end date has passed and that is still planned or ongoing counts as overdue.',
    suppression: 'Disclosure control', suppressionText: 'In the public version counts below {k} are shown as "< {k}"; other counts are protected by the cell-key method as all statistics in the service.',
  },
  page: 'Page', of: 'of',
};

export type { FollowUpTexts };
export const FOLLOW_UP_TEXTS: Record<Lang, FollowUpTexts> = { sv, en };
