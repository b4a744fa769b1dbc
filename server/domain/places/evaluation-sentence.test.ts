// The plain-language sentence of a place evaluation, in Swedish and English, with and without its numbers.
import { describe, expect, it } from 'vitest';
import { evaluationSentence } from './evaluation-sentence.js';

describe('evaluation sentence', () => {
  it('writes the sentence with the numbers, and without them when suppressed', () => {
    const base = {
      placeName: 'Torget', sourceLabel: { sv: 'anmälda brott', en: 'reported crimes' }, bufferMetres: 250, controlName: 'Husby',
      verdict: 'improved' as const, reason: 'tested' as const, place: { before: 40, after: 20 }, buffer: { before: 30, after: 36 },
      daysBefore: 366, daysAfter: 365, placeRr: { ratio: 0.526, ciLow: 0.302, ciHigh: 0.917 }, bufferRr: { ratio: 1.26, ciLow: 0.77, ciHigh: 2.06 },
    };
    const s = evaluationSentence({ ...base, suppressed: false });
    expect(s.en).toContain('from 40 to 20');
    expect(s.en).toContain('−47 %');
    expect(s.en).toContain('0.3–0.92');
    expect(s.sv).toContain('från 40 till 20');
    expect(s.sv).toContain('0,53');
    expect(s.sv).toContain('statistiskt säkerställd förbättring');
    const h = evaluationSentence({ ...base, suppressed: true, place: null, placeRr: null });
    expect(h.en).not.toMatch(/\d{2}/);
    expect(h.en).toContain('significant improvement');
  });
});
