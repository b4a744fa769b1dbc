// The data sources the service counts, shared by the server and the web map: one list, one set of labels.

export const SOURCES = ['crimes', 'shootings', 'guard-reports', 'citizen-reports', 'police-events'] as const;
export type Source = (typeof SOURCES)[number];
