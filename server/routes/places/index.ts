// Platssamverkan: places with their goals and measures, and the before/after evaluation of a place.
// Reading is public. Changing needs a staff key whose districts contain the place — its polygon and its district —
// or admin (domain/places/place-access.ts);
// every change is written to the audit trail with the action and the names of the changed fields (no values).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Queryable } from '../../db/index.js';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { evaluatePlace } from '../../domain/places/evaluate-place.js';
import { deleteGoal, getGoal, insertGoal, listGoals, updateGoal, type GoalContext } from '../../domain/places/goal-store.js';
import { deleteMeasure, getMeasure, insertMeasure, listMeasures, updateMeasure } from '../../domain/places/measure-store.js';
import { assertMayEditPlace } from '../../domain/places/place-access.js';
import { applyPlacePatch, deletePlace, getPlace, insertPlace, listPlaces, planPlaceCreate, planPlacePatch, touchPlace } from '../../domain/places/place-store.js';
import { placeCreateSchema, placeDetailSchema, placePatchSchema, placeSummarySchema } from '../../domain/places/place-schema.js';
import { goalCreateSchema, goalPatchSchema, goalViewSchema } from '../../domain/places/goal-schema.js';
import { measureCreateSchema, measurePatchSchema, measureSchema } from '../../domain/places/measure-schema.js';
import { evaluationSchema } from '../../domain/places/evaluation-schema.js';
import type { Principal } from '../../domain/access/principal.js';
import { problemSchema } from '../shared-schemas.js';
import { EvaluationQuery, GoalParams, MeasureParams, PlaceListQuery, PlaceParams } from './schemas.js';

const TAGS = ['places'];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const route: FastifyPluginAsyncZod = async (app) => {
  const writer = app.requireRole('staff', 'admin');
  const ctx = async (p: Principal): Promise<GoalContext> => ({
    principal: p, disclosure: await app.disclosureOf(p),
    surveyMinRespondents: app.config.surveyMinRespondents,
  });
  const detail = async (db: Queryable, id: number, p: Principal) => ({
    ...(await getPlace(db, id)), goals: await listGoals(db, id, await ctx(p)), measures: await listMeasures(db, id),
  });
  /** Loads the place and checks that the principal may change it (404 before 403: ids are not secret). */
  const editable = async (db: Queryable, id: number, p: Principal) => {
    const place = await getPlace(db, id);
    await assertMayEditPlace(db, p, { placeId: id, districtAreaId: place.district?.id ?? null }, `place ${id}`);
    return place;
  };
  /**
   * A change to a place's goal or measure, in one transaction: the edit right on the place, the change, and — when
   * something changed — the place's updated_at and one audit entry (action, target, names of changed fields).
   */
  const changeChild = <T>(placeId: number, p: Principal, action: string,
    fn: (tx: Queryable) => Promise<{ value: T; target: string; fields: string[] | null }>) =>
    app.db.transaction(async (tx) => {
      await editable(tx, placeId, p);
      const { value, target, fields } = await fn(tx);
      if (!fields || fields.length) {
        await touchPlace(tx, placeId);
        await recordAudit(tx, p, action, `place:${placeId}/${target}`, fields ? { fields } : {});
      }
      return value;
    });

  app.get('/api/places', {
    schema: {
      tags: TAGS, summary: 'Platssamverkan places: JSON rows, or GeoJSON (WGS84) with f=geojson',
      description: 'Each place: id, name, status (planned|active|ended), startDate, endDate, district, partners, synthetic flag, counts of goals and measures. Public.',
      querystring: PlaceListQuery, response: { 200: z.union([z.array(placeSummarySchema), z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) })]), 400: problemSchema },
    },
  }, async (req, reply) => {
    const { f, ...filter } = req.query;
    if (f === 'geojson') {
      const rows = await listPlaces(app.db, filter, true);
      reply.type('application/geo+json; charset=utf-8');
      return { type: 'FeatureCollection' as const, features: rows.map(({ geometry, ...p }) => ({ type: 'Feature', id: p.id, properties: p, geometry })) };
    }
    return listPlaces(app.db, filter, false);
  });

  app.get('/api/places/:id', {
    schema: { tags: TAGS, summary: 'One place with its polygon (WGS84 GeoJSON), goals (with measured baseline, latest value and status) and measures', params: PlaceParams, response: { 200: placeDetailSchema, ...problems } },
  }, async (req) => detail(app.db, req.params.id, req.principal));

  app.post('/api/places', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Create a place (staff whose districts contain it, or admin)', security: [{ apiKey: [] }], body: placeCreateSchema, response: { 201: placeDetailSchema, ...problems } },
  }, async (req, reply) => {
    const id = await app.db.transaction(async (tx) => {
      const input = req.body;
      const plan = await planPlaceCreate(tx, input);
      await assertMayEditPlace(tx, req.principal, { geomHex: plan.geom.hexEwkb, districtAreaId: plan.district.id }, 'the new place');
      const newId = await insertPlace(tx, input, plan);
      await recordAudit(tx, req.principal, 'place.create', `place:${newId}`, { fields: Object.keys(req.body).sort(), repairedGeometry: plan.geom.repaired });
      return newId;
    });
    reply.header('Location', `/api/places/${id}`);
    return reply.code(201).send(await detail(app.db, id, req.principal));
  });

  app.patch('/api/places/:id', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Change a place (staff whose districts contain it — as it is and as changed — or admin)', security: [{ apiKey: [] }], params: PlaceParams, body: placePatchSchema, response: { 200: placeDetailSchema, ...problems } },
  }, async (req) => {
    await app.db.transaction(async (tx) => {
      const place = await editable(tx, req.params.id, req.principal);
      const patch = req.body;
      const plan = await planPlacePatch(tx, place, patch);
      if (plan.geom || plan.district) {
        // the place as it would be: its new polygon and/or district must lie within the editor's districts too
        const districtAreaId = plan.district ? plan.district.id : place.district?.id ?? null;
        await assertMayEditPlace(tx, req.principal, plan.geom ? { geomHex: plan.geom.hexEwkb, districtAreaId } : { placeId: place.id, districtAreaId },
          `place ${place.id} as changed`);
      }
      const changed = await applyPlacePatch(tx, req.params.id, patch, plan);
      if (changed.length) await recordAudit(tx, req.principal, 'place.update', `place:${req.params.id}`, { fields: changed, repairedGeometry: plan.geom?.repaired ?? false });
    });
    return detail(app.db, req.params.id, req.principal);
  });

  app.delete('/api/places/:id', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Delete a place with its goals and measures', security: [{ apiKey: [] }], params: PlaceParams, response: { 204: z.null().describe("deleted"), ...problems } },
  }, async (req, reply) => {
    await app.db.transaction(async (tx) => {
      const place = await editable(tx, req.params.id, req.principal);
      await deletePlace(tx, req.params.id);
      await recordAudit(tx, req.principal, 'place.delete', `place:${req.params.id}`, { goals: place.goalCount, measures: place.measureCount });
    });
    return reply.code(204).send(null);
  });

  // ---- goals
  app.get('/api/places/:id/goals', {
    schema: { tags: TAGS, summary: 'The SMART goals of a place with their status (no-baseline|too-early|on-track|off-track|met|missed)', params: PlaceParams, response: { 200: z.array(goalViewSchema), ...problems } },
  }, async (req) => { await getPlace(app.db, req.params.id); return listGoals(app.db, req.params.id, await ctx(req.principal)); });

  app.get('/api/places/:id/goals/:goalId', {
    schema: { tags: TAGS, summary: 'One goal with its measured baseline, latest value and status', params: GoalParams, response: { 200: goalViewSchema, ...problems } },
  }, async (req) => getGoal(app.db, req.params.id, req.params.goalId, await ctx(req.principal)));

  app.post('/api/places/:id/goals', {
    preHandler: writer,
    schema: {
      tags: TAGS, summary: 'Add a SMART goal; its baseline value is measured, not typed', security: [{ apiKey: [] }], params: PlaceParams, body: goalCreateSchema,
      description: 'indicator: {type:"incidents", source, categories[]} (count of exact incidents inside the place per baseline-long window) or {type:"survey", indicator, group} (the district\'s survey value).',
      response: { 201: goalViewSchema, ...problems },
    },
  }, async (req, reply) => {
    const goalId = await changeChild(req.params.id, req.principal, 'place.goal.create', async (tx) => {
      const gid = await insertGoal(tx, req.params.id, req.body, app.config.surveyMinRespondents);
      return { value: gid, target: `goal:${gid}`, fields: Object.keys(req.body).sort() };
    });
    reply.header('Location', `/api/places/${req.params.id}/goals/${goalId}`);
    return reply.code(201).send(await getGoal(app.db, req.params.id, goalId, await ctx(req.principal)));
  });

  app.patch('/api/places/:id/goals/:goalId', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Change a goal (the baseline is measured again)', security: [{ apiKey: [] }], params: GoalParams, body: goalPatchSchema, response: { 200: goalViewSchema, ...problems } },
  }, async (req) => {
    await changeChild(req.params.id, req.principal, 'place.goal.update', async (tx) => ({
      value: null, target: `goal:${req.params.goalId}`,
      fields: await updateGoal(tx, req.params.id, req.params.goalId, req.body, app.config.surveyMinRespondents),
    }));
    return getGoal(app.db, req.params.id, req.params.goalId, await ctx(req.principal));
  });

  app.delete('/api/places/:id/goals/:goalId', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Delete a goal', security: [{ apiKey: [] }], params: GoalParams, response: { 204: z.null().describe("deleted"), ...problems } },
  }, async (req, reply) => {
    await changeChild(req.params.id, req.principal, 'place.goal.delete', async (tx) => {
      await deleteGoal(tx, req.params.id, req.params.goalId);
      return { value: null, target: `goal:${req.params.goalId}`, fields: null };
    });
    return reply.code(204).send(null);
  });

  // ---- measures
  app.get('/api/places/:id/measures', {
    schema: { tags: TAGS, summary: 'The measures taken at a place, by date', params: PlaceParams, response: { 200: z.array(measureSchema), ...problems } },
  }, async (req) => { await getPlace(app.db, req.params.id); return listMeasures(app.db, req.params.id); });

  app.get('/api/places/:id/measures/:measureId', {
    schema: { tags: TAGS, summary: 'One measure', params: MeasureParams, response: { 200: measureSchema, ...problems } },
  }, async (req) => getMeasure(app.db, req.params.id, req.params.measureId));

  app.post('/api/places/:id/measures', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Add a measure (lighting, cameras, guards, cleaning, place-activation, physical-change, social-effort, other)', security: [{ apiKey: [] }], params: PlaceParams, body: measureCreateSchema, response: { 201: measureSchema, ...problems } },
  }, async (req, reply) => {
    const mid = await changeChild(req.params.id, req.principal, 'place.measure.create', async (tx) => {
      const m = await insertMeasure(tx, req.params.id, req.body);
      return { value: m, target: `measure:${m}`, fields: Object.keys(req.body).sort() };
    });
    reply.header('Location', `/api/places/${req.params.id}/measures/${mid}`);
    return reply.code(201).send(await getMeasure(app.db, req.params.id, mid));
  });

  app.patch('/api/places/:id/measures/:measureId', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Change a measure', security: [{ apiKey: [] }], params: MeasureParams, body: measurePatchSchema, response: { 200: measureSchema, ...problems } },
  }, async (req) => {
    await changeChild(req.params.id, req.principal, 'place.measure.update', async (tx) => ({
      value: null, target: `measure:${req.params.measureId}`,
      fields: await updateMeasure(tx, req.params.id, req.params.measureId, req.body),
    }));
    return getMeasure(app.db, req.params.id, req.params.measureId);
  });

  app.delete('/api/places/:id/measures/:measureId', {
    preHandler: writer,
    schema: { tags: TAGS, summary: 'Delete a measure', security: [{ apiKey: [] }], params: MeasureParams, response: { 204: z.null().describe("deleted"), ...problems } },
  }, async (req, reply) => {
    await changeChild(req.params.id, req.principal, 'place.measure.delete', async (tx) => {
      await deleteMeasure(tx, req.params.id, req.params.measureId);
      return { value: null, target: `measure:${req.params.measureId}`, fields: null };
    });
    return reply.code(204).send(null);
  });

  // ---- evaluation
  app.get('/api/places/:id/evaluation', {
    schema: {
      tags: TAGS, summary: 'Before/after evaluation: place, displacement ring and control area; DiD rate ratios, WDD/WDQ, verdict and sentence',
      description: 'verdict ∈ improved | no-detectable-change | worsened | displacement-suspected, decided from 95 % tests only. For the public and staff (the disclosure control of /api/stats): periods widened to the public grid, bufferMetres one of 100, 250, 500, counts cell-key protected (below k null), and every statistic and the verdict computed from the published counts.',
      params: PlaceParams, querystring: EvaluationQuery, response: { 200: evaluationSchema, ...problems },
    },
  }, async (req) => {
    const q = req.query;
    return evaluatePlace(app.db, req.params.id, {
      source: q.source, categories: q.category ?? null, before: q.before, after: q.after, controlAreaId: q.controlAreaId, bufferMetres: q.bufferMetres,
      disclosure: await app.disclosureFor(req),
    });
  });
};
export default route;
