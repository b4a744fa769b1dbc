import { describe, expect, it } from 'vitest';
import { planDocumentSchema } from './action-plan-schema.js';
import { planChanges } from './plan-changes.js';

const baseline = { from: '2024-01-01', to: '2025-01-01', count: 40, ratePer1000: 3.2, suppressed: false, areaSetId: 'stadsdelar', dataVersion: 3 };
const v1 = planDocumentSchema.parse({
  priorities: [{ id: 'p1', title: 'Rån vid torget', origin: { kind: 'own' }, indicators: [{ id: 'i1', label: 'Rån per 1 000', source: 'crimes', categories: ['ran'], areaId: 7, baseline }] }],
  measures: [
    { id: 'm1', title: 'Belysning', owner: 'Trafikkontoret', partners: [{ organisation: 'Stockholmshem', role: '' }], priorityIds: ['p1'] },
    { id: 'm2', title: 'Trygghetsvandringar', owner: 'SDF', priorityIds: [] },
  ],
});

describe('what changed between two versions of a plan', () => {
  it('names each item added, removed or changed, and the fields that changed', () => {
    const v2 = structuredClone(v1);
    v2.priorities[0].causalAnalysis.likelyCauses = 'Mörka passager';
    v2.priorities[0].causalAnalysis.triangle.place = 'Gångtunneln';
    v2.measures[0].owner = 'Exploateringskontoret';
    v2.measures[0].partners[0].role = 'fastighetsägare';
    v2.measures[0].end = '2026-06-30';
    v2.measures.splice(1, 1);
    v2.measures.push({ ...v1.measures[1], id: 'm3', title: 'Kameror' });
    v2.priorities[0].indicators[0].label = 'Rån per 1 000 invånare, 12 mån';
    const c = planChanges({ title: 'Plan', status: 'draft', plan: v1 }, { title: 'Plan 2026', status: 'draft', plan: v2 });
    expect(c).toEqual([
      { subject: 'title', change: 'changed', id: null, label: 'Plan 2026', fields: [] },
      { subject: 'priority', change: 'changed', id: 'p1', label: 'Rån vid torget', fields: ['causalAnalysis.likelyCauses', 'triangle.place'] },
      { subject: 'indicator', change: 'changed', id: 'p1/i1', label: 'Rån per 1 000 invånare, 12 mån', fields: ['label'] },
      { subject: 'measure', change: 'changed', id: 'm1', label: 'Belysning', fields: ['owner', 'partners', 'end'] },
      { subject: 'measure', change: 'added', id: 'm3', label: 'Kameror', fields: [] },
      { subject: 'measure', change: 'removed', id: 'm2', label: 'Trygghetsvandringar', fields: [] },
    ]);
  });

  it('a decision changes only the status; the first version has no changes; an unchanged save none', () => {
    expect(planChanges({ title: 'Plan', status: 'draft', plan: v1 }, { title: 'Plan', status: 'decided', plan: structuredClone(v1) }))
      .toEqual([{ subject: 'status', change: 'changed', id: null, label: 'decided', fields: [] }]);
    expect(planChanges(null, { title: 'Plan', status: 'draft', plan: v1 })).toEqual([]);
    expect(planChanges({ title: 'Plan', status: 'draft', plan: v1 }, { title: 'Plan', status: 'draft', plan: structuredClone(v1) })).toEqual([]);
  });
});
