// The lägesbild content model: what f=json returns, what a saved report freezes, what the HTML renders.
// Every count is `number | null`: null means suppressed for the viewer (1..k−1) or not available — the `suppressed`
// flags say which. Nothing here is recomputed at render time, so a frozen snapshot renders exactly as saved.
import type { StaffText } from './staff-text.js';
import type { ComparisonRule } from '../../../shared/periods.js';
import type { SurveyBasis } from '../survey/survey-schema.js';

export type Lang = 'sv' | 'en';
export type Num = number | null;

export type ReportArea = {
  id: number; code: string; name: string; areaSetId: string; areaSetName: string; level: string;
  population: Num; populationYear: number | null; areaKm2: number;
};

export type ChangeFigure = {
  count: Num; suppressed: boolean; ratePer1000: Num;
  previousCount: Num; previousSuppressed: boolean;
  rateRatio: Num; ciLow: Num; ciHigh: Num; changeSignificant: boolean;
};

export type SourceFigure = ChangeFigure & {
  source: string; label: string;
  unplaced: Num;
  city: { count: Num; ratePer1000: Num } | null;
  /** the area's rate against the rest of the city: exact conditional (binomial) test of the rate ratio */
  vsCity: { rateRatio: number; ciLow: number; ciHigh: number; significant: boolean } | null;
};

/** codes: the category codes the row sums (a crime group); /api/stats?category=<codes> gives the same figures. */
export type CategoryFigure = ChangeFigure & { code: string; label: string; codes?: string[]; cityRatePer1000: Num };

export type MonthPoint = { month: string; count: Num; suppressed: boolean };
export type MonthlySeries = { source: string; label: string; months: MonthPoint[] };

export type SurveyGroup = {
  group: string; label: string; value: Num; ciLow: Num; ciHigh: Num; respondents: Num;
  previousValue: Num; differenceSignificant: boolean; suppressed: boolean; suppression: 'primary' | 'complementary' | null; cityValue: Num;
  /** the respondents behind cityValue (the areas the viewer may see); absent in reports saved before it was kept */
  cityRespondents?: Num;
};
export type SurveyIndicator = { code: string; text: string; kind: 'share' | 'mean'; direction: string; groups: SurveyGroup[] };

export type Divergence = {
  indicator: string; indicatorText: string; wave: string;
  fearZ: Num; crimeZ: Num; class: 'fear-above-crime' | 'crime-above-fear' | 'aligned' | null; note: string;
} | null;

export type MapImage = {
  /** PNG as a data URI, or null when none could be rendered (then `note` says why) */
  dataUri: string | null;
  kind: 'real-map' | 'svg-fallback' | 'none';
  note: string;
  legend: { cls: string; label: string; color: string; cells: number }[];
  /**
   * The window the image shows, WGS84 [west, south, east, north]: the area's bounding box with a small margin
   * (shaped like the image). Absent in reports saved before it was recorded.
   */
  bounds?: [number, number, number, number] | null;
  /** the area set whose areas the map draws: the report area's own */
  areaSetId?: string;
};

export type HotPlace = { kind: 'hexagon' | 'basomrade' | 'metro'; name: string; count: Num; suppressed: boolean; detail: string };

export type PlaceStatus = {
  id: number; name: string; status: string; startDate: string | null; endDate: string | null;
  goals: { description: string; status: string; deadline: string | null }[];
  measures: number; verdict: string | null;
  /** the follow-up in words: the evaluation's verdict sentence with its figures, or why there is none */
  verdictText: string | null;
  /** the before/after evaluation's figures (crimes in the place, rate ratio against the control with its 95 % CI) */
  followUp?: PlaceFollowUp | null;
};

export type PlaceFollowUp = {
  before: { from: string; to: string }; after: { from: string; to: string }; controlName: string;
  /** crimes in the place before and after (null: hidden for the viewer) */
  placeBefore: Num; placeAfter: Num;
  /** difference-in-differences rate ratio of the place against the control, with its 95 % CI; null: not testable */
  ratio: Num; ciLow: Num; ciHigh: Num; significant: boolean;
};

export type SourceProvenance = {
  source: string; label: string; firstDay: string | null; lastDay: string | null; total: Num;
  batches: { id: number; kind: string; provider: string; fileName: string | null; importedAt: string; rows: number }[];
  precision: { precision: string; count: Num }[];
  unplacedAtThisLevel: Num; outsidePeriod?: Num; synthetic: boolean;
};

/**
 * Aggregated counts (import kind area-counts) of one source in one area set, for the area of that set the report is
 * about: the report area itself (its own set) or the area of another set containing it (its point on surface). The
 * figures are areaStats' row with aggregated counts on — the same as /api/stats?areaSet=<set>&source=<source> for the
 * report's period in the viewer's view — as imported, never counted from events nor added to the event figures.
 */
export type AggregatedFigures = ChangeFigure & {
  source: string; label: string;
  areaSetId: string; areaSetName: string;
  /** the area the figures belong to */
  areaId: number; areaCode: string; areaName: string;
  /** false: the report area itself; true: an area of another set that contains it */
  containsReportArea: boolean;
  granularity: 'month' | 'quarter' | 'year';
  /** the period counted (/api/stats' meta.period: whole periods of the data); requested: what was asked when it was widened (meta.requestedPeriod) */
  period: { from: string; to: string; lastDay: string; label: string };
  requestedPeriod: { from: string; to: string } | null;
  previous: { from: string; to: string; lastDay: string };
  /** the span of the stored counts, [dataFrom, dataTo); complete: they cover the whole period counted */
  dataFrom: string; dataTo: string; complete: boolean; previousCovered: boolean;
  /** per category code the counts have (/api/stats?category=<code>); empty when there are too many to list */
  categories: CategoryFigure[];
  /** provenance: the import batches the counts come from */
  batches: { id: number; provider: string; fileName: string | null; sha256: string | null; importedAt: string; rows: number }[];
  /** what the figures are, in the report's language (meta.aggregated.description) */
  description: string;
};

export type AggregatedSection = { rows: AggregatedFigures[] };

export type Finding = { key: string; text: string; figure: string; test: string; significant: boolean | null };

export type LagesbildContent = {
  kind: 'lagesbild'; schemaVersion: 1; lang: Lang;
  generatedAt: string; dataVersion: number;
  viewer: { exact: boolean; suppressionK: number; surveyMinRespondents: number };
  area: ReportArea;
  city: { id: number; name: string; areaSetId: string; population: Num } | null;
  period: {
    from: string; to: string; lastDay: string; days: number; trendFrom: string;
    /** the comparison period; rule: which rule chose it (shared/periods.ts). lastDay, rule: absent in reports saved before them */
    previous: { from: string; to: string; lastDay?: string; rule?: ComparisonRule };
    /** "1 jan – 31 dec 2025" (the report's language); absent in reports saved before it */
    label?: string;
    /** "2025 jämfört med 2024"; absent in reports saved before it */
    comparison?: string;
  };
  summary: Finding[];
  scope: {
    sources: SourceFigure[];
    crimeGroups: CategoryFigure[];
    monthly: MonthlySeries[];
    shootingsByOutcome: CategoryFigure[];
    guardByType: CategoryFigure[];
  };
  insecurity: {
    wave: { id: string; name: string; year: number } | null;
    previousWave: { id: string; name: string; year: number } | null;
    /** how the survey figures were obtained: own, pooled over the survey areas inside, borrowed from the one it lies in (named), or not available; absent in reports saved before it was recorded */
    basis?: SurveyBasis | null;
    indicators: SurveyIndicator[];
    divergence: Divergence;
  };
  whereWhen: {
    map: MapImage;
    hotspots: { cellSize: number; hot: number; cold: number; cells: number; alpha: number; source: string } | null;
    /** weights per weekday (Mon..Sun) × hour; null = hidden (below k) */
    weekdayHour: { source: string; label: string; matrix: (number | null)[][]; total: number; suppressed: boolean;
      /** the matrix's sums per weekday and per hour (same rounding and hiding), shown when most cells are hidden */
      byWeekday: Num[]; byHour: Num[] } | null;
    topPlaces: HotPlace[];
  };
  places: PlaceStatus[];
  sources: SourceProvenance[];
  /**
   * Aggregated counts imported for the area or an area containing it (null: none). Their own part, with their own
   * provenance: never mixed into scope/sources, which count events. Absent in reports saved before it was added.
   */
  aggregated?: AggregatedSection | null;
  staff: StaffText;
  /** where a section's data came from or why it is empty, for the reader */
  notes: Record<string, string[]>;
};
