import { describe, expect, it } from 'vitest';
import { formatPartners, parsePartners } from './partners.js';
import { formatValue, parseValue } from './action-plan-model.js';

describe('partners as the forms edit them: one per line, "organisation: role"', () => {
  it('keeps each partner\'s role through a round trip of the form (a role set once is not lost by the next edit)', () => {
    const partners = [
      { organisation: 'Polisen', role: 'gemensam lägesbild: varje månad' },
      { organisation: 'Stockholmshem', role: '' },
      { organisation: 'Husby centrum AB', role: 'belysning, städning' },
    ];
    expect(parsePartners(formatPartners(partners))).toEqual(partners);
  });

  it('reads blank lines, spaces and Windows line ends away', () => {
    expect(parsePartners('  Polisen :  trygghetsvandringar \r\n\r\n Föreningen Husby IF\n')).toEqual([
      { organisation: 'Polisen', role: 'trygghetsvandringar' },
      { organisation: 'Föreningen Husby IF', role: '' },
    ]);
    expect(parsePartners('')).toEqual([]);
  });
});

describe('the action plan\'s partners control', () => {
  it('gives back the roles it was shown (saving a measure kept its partners but dropped every role)', () => {
    const partners = [{ organisation: 'Polisen', role: 'trygghetsvandringar' }, { organisation: 'Svenska Bostäder', role: '' }];
    expect(parseValue('partners', formatValue('partners', partners))).toEqual(partners);
  });
});
