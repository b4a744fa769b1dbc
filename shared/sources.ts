// The data sources the service counts, shared by the server and the web map: one list, one set of labels.

export const SOURCES = ['crimes', 'shootings', 'guard-reports', 'citizen-reports', 'police-events'] as const;
export type Source = (typeof SOURCES)[number];

/**
 * The point-like sources: CSV imports of events each placed by a point (or an area code). A place counts their
 * exact points inside its polygon, and a place's goal is set on one of them. Police events are not one: Polisen's
 * feed is placed by its text at area precision only, so none of them has a point to count inside a place.
 */
export const POINT_SOURCES = ['crimes', 'shootings', 'guard-reports', 'citizen-reports'] as const satisfies readonly Source[];
export type PointSource = (typeof POINT_SOURCES)[number];

/** The sources the lägesbild report counts. Police events are left out: they are a sample of the same crimes. */
export const REPORT_SOURCES: readonly Source[] = ['crimes', 'shootings', 'guard-reports', 'citizen-reports'];

/** Each source's name in Swedish and English, as a heading or a choice in a list ("Anmälda brott"). */
export const SOURCE_LABELS: Record<Source, { sv: string; en: string }> = {
  crimes: { sv: 'Anmälda brott', en: 'Reported crimes' },
  shootings: { sv: 'Skjutningar', en: 'Shootings' },
  'guard-reports': { sv: 'Ordningsvakternas ingripanden', en: 'Security-guard interventions' },
  'citizen-reports': { sv: 'Medborgarrapporter', en: 'Citizen reports' },
  'police-events': { sv: 'Polisens händelser', en: 'Police events' },
};

export function isSource(s: string): s is Source {
  return (SOURCES as readonly string[]).includes(s);
}

/** The source's name inside a sentence ("… anmälda brott …"); an unknown source by its code. */
export function sourceInSentence(source: string): { sv: string; en: string } {
  if (!isSource(source)) return { sv: source, en: source };
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  return { sv: lower(SOURCE_LABELS[source].sv), en: lower(SOURCE_LABELS[source].en) };
}
