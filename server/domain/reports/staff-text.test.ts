import { describe, expect, it } from 'vitest';
import { changedStaffFields, emptyStaffText, mergeStaffText, SmartGoal, StaffTextSchema, STAFF_TEXT_FIELDS } from './staff-text.js';

describe('changedStaffFields', () => {
  it('names nothing for the same text, also when key order differs (jsonb reorders keys)', () => {
    const a = mergeStaffText(emptyStaffText(), { priorities: 'p', actionPlan: { goals: [SmartGoal.parse({ goal: 'g', specific: 's' })] } });
    const reordered = StaffTextSchema.parse(JSON.parse(JSON.stringify({ comments: a.comments, actionPlan: a.actionPlan, priorities: a.priorities, causalAnalysis: a.causalAnalysis })));
    expect(changedStaffFields(a, reordered)).toEqual([]);
  });

  it('names each changed field by its path, in the report\'s order, goals as one list', () => {
    const a = emptyStaffText();
    const b = mergeStaffText(a, { comments: 'c', causalAnalysis: { likelyCauses: 'x' }, actionPlan: { goals: [SmartGoal.parse({ goal: 'g' })] } });
    expect(changedStaffFields(a, b)).toEqual(['causalAnalysis.likelyCauses', 'actionPlan.goals', 'comments']);
    const c = mergeStaffText(b, { actionPlan: { goals: [] } });
    expect(changedStaffFields(b, c)).toEqual(['actionPlan.goals']);
  });

  it('covers every field of the schema', () => {
    const filled = StaffTextSchema.parse({
      causalAnalysis: { preparation: '1', deepenKnowledge: '2', likelyCauses: '3', testAssumptions: '4', chooseMeasures: '5' },
      priorities: '6', actionPlan: { summary: '7', goals: [{ goal: '8' }] }, comments: '9',
    });
    expect(changedStaffFields(emptyStaffText(), filled)).toEqual([...STAFF_TEXT_FIELDS]);
  });
});
