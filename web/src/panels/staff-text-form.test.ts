import { describe, expect, it } from 'vitest';
import { emptyGoal, emptyStaffText, normalizeStaffText, sameStaffText, staffTextFromEntries } from './staff-text-form.js';

describe('staffTextFromEntries', () => {
  it('puts each named control where the staff text has it, goal rows in form order', () => {
    const s = staffTextFromEntries([
      ['causalAnalysis.likelyCauses', 'Mörk gångtunnel'], ['priorities', 'Torget'],
      ['goal.7.goal', 'Färre rån'], ['goal.7.timeBound', '2027-06-30'],
      ['goal.2.goal', 'Tryggare väg till skolan'],
      ['actionPlan.summary', 'Sammanfattning'], ['comments', 'Ses över i juni'],
      ['causalAnalysis.unknown', 'ignored'], ['goal.3.unknown', 'ignored'], ['apiKey', 'ignored'],
    ]);
    expect(s.causalAnalysis).toEqual({ ...emptyStaffText().causalAnalysis, likelyCauses: 'Mörk gångtunnel' });
    expect(s.priorities).toBe('Torget');
    expect(s.comments).toBe('Ses över i juni');
    expect(s.actionPlan.summary).toBe('Sammanfattning');
    expect(s.actionPlan.goals).toEqual([{ ...emptyGoal(), goal: 'Färre rån', timeBound: '2027-06-30' }, { ...emptyGoal(), goal: 'Tryggare väg till skolan' }]);
  });

  it('leaves out a goal row that is all blank', () => {
    expect(staffTextFromEntries([['goal.1.goal', '  '], ['goal.1.responsible', '']]).actionPlan.goals).toEqual([]);
  });
});

describe('normalizeStaffText and sameStaffText', () => {
  it('fill in what an old report lacks and compare by content', () => {
    const n = normalizeStaffText({ priorities: 'p', actionPlan: { goals: [{ goal: 'g' }] } });
    expect(n.causalAnalysis.preparation).toBe('');
    expect(n.actionPlan.goals[0]).toEqual({ ...emptyGoal(), goal: 'g' });
    expect(sameStaffText(n, staffTextFromEntries([['priorities', 'p'], ['goal.0.goal', 'g']]))).toBe(true);
    expect(sameStaffText(n, staffTextFromEntries([['priorities', 'p']]))).toBe(false);
    expect(normalizeStaffText(null)).toEqual(emptyStaffText());
  });
});
