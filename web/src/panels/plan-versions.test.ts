import { describe, expect, it } from 'vitest';
import { changeText } from './plan-versions.js';

describe('a plan version\'s changes in words (Swedish first)', () => {
  it('names the item and the form\'s own labels of the fields that changed', () => {
    expect(changeText({ subject: 'measure', change: 'changed', id: 'm1', label: 'Belysning', fields: ['owner', 'end'] }))
      .toBe('Åtgärd ändrad: Belysning (ansvarig organisation, slut)');
    expect(changeText({ subject: 'priority', change: 'changed', id: 'p1', label: 'Rån', fields: ['causalAnalysis.likelyCauses', 'triangle.place'] }))
      .toBe('Prioritering ändrad: Rån (3. identifiera troliga orsaker, problemtriangeln: plats)');
    expect(changeText({ subject: 'measure', change: 'added', id: 'm3', label: 'Kameror', fields: [] })).toBe('Åtgärd tillagd: Kameror');
    expect(changeText({ subject: 'indicator', change: 'removed', id: 'p1/i1', label: 'Rån per 1 000', fields: [] })).toBe('Indikator borttagen: Rån per 1 000');
  });
  it('says a decision and a new title as such', () => {
    expect(changeText({ subject: 'status', change: 'changed', id: null, label: 'decided', fields: [] })).toBe('Status: Beslutad');
    expect(changeText({ subject: 'title', change: 'changed', id: null, label: 'Plan 2027', fields: [] })).toBe('Ny titel: Plan 2027');
  });
});
