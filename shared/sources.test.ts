// The one list of sources and their names: what the map's source menu, the place panel's goal menu and the
// evaluation's sentence show, in both languages.
import { describe, expect, it } from 'vitest';
import { isSource, POINT_SOURCES, REPORT_SOURCES, SOURCE_LABELS, SOURCES, sourceInSentence } from './sources.js';

describe('sources', () => {
  it('every source has a name in Swedish and English, and no two sources share one', () => {
    for (const lang of ['sv', 'en'] as const) {
      const names = SOURCES.map((s) => SOURCE_LABELS[s][lang]);
      expect(names.every((n) => n.trim().length > 0), lang).toBe(true);
      expect(new Set(names.map((n) => n.toLowerCase())).size, lang).toBe(SOURCES.length);
    }
    expect(Object.keys(SOURCE_LABELS).sort()).toEqual([...SOURCES].sort());
  });

  it('places and reports count the point-like sources, never the police events', () => {
    for (const list of [POINT_SOURCES, REPORT_SOURCES]) {
      expect(list.every(isSource)).toBe(true);
      expect(list).not.toContain('police-events');
    }
    expect([...POINT_SOURCES]).toEqual(SOURCES.filter((s) => s !== 'police-events'));
  });

  it('tells a source from anything else, e.g. a query parameter', () => {
    expect(isSource('shootings')).toBe(true);
    for (const bad of ['', 'Shootings', 'crime', 'police_events', '__proto__', 'toString']) expect(isSource(bad), bad).toBe(false);
  });

  it('names a source inside a sentence in lower case, an unknown one by its code', () => {
    expect(sourceInSentence('crimes')).toEqual({ sv: 'anmälda brott', en: 'reported crimes' });
    expect(sourceInSentence('guard-reports')).toEqual({ sv: 'ordningsvakternas ingripanden', en: 'security-guard interventions' });
    expect(sourceInSentence('citizen-reports')).toEqual({ sv: 'medborgarrapporter', en: 'citizen reports' });
    expect(sourceInSentence('no-such-source')).toEqual({ sv: 'no-such-source', en: 'no-such-source' });
  });
});
