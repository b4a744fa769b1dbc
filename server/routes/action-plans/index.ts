// The action plan decided from a lägesbild (issue 18): priorities with their orsaksanalys, measures and indicators
// whose baseline comes from the data, and the follow-up computed from the data. Access as for saved lägesbilder:
// staff write for areas within their districts, analysts and admins for any; drafts and decided plans are read by
// those who may write and by analysts; the public reads published plans only (a draft is a 404 to them).
// A plan is a document meant to be published: its frozen baselines are always the public view's figures, whoever
// saves it (an analyst's exact counts would otherwise reach the public when the plan is published).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../domain/access/principal.js';
import { actionPlanSchema, followUpSchema, planInputSchema, type ActionPlan } from '../../domain/action-plans/action-plan-schema.js';
import { actionPlanVersions, changeStatus, createActionPlan, getActionPlan, listActionPlans, mayRead, publishedFace, saveActionPlan, withoutNames } from '../../domain/action-plans/action-plans.js';
import { CHANGE_KINDS, CHANGE_SUBJECTS } from '../../domain/action-plans/plan-changes.js';
import { followUp } from '../../domain/action-plans/follow-up.js';
import { followUpDocument } from '../../domain/action-plans/follow-up-document.js';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { describeArea, describeDistricts } from '../../domain/keys/staff-districts.js';
import { mayWriteReport } from '../../domain/reports/area-districts.js';
import { forbidden, notFound } from '../../plugins/errors.js';
import { followUpPdfHeaderFooter, renderFollowUpDocx, renderFollowUpHtml } from '../../rendering/render-follow-up.js';
import { htmlToPdf } from '../../rendering/render-pdf.js';
import { numericId, problemSchema } from '../shared-schemas.js';

const TAGS = ['action plans'];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const IdParams = z.object({ id: numericId.describe('the action plan id') });
const actor = (p: Principal) => (p.keyId === null ? p.role : `key:${p.keyId}`);

const CreateBody = z.object({
  areaId: z.number().int().positive().describe('the area the plan is for (the lägesbild\'s area)'),
  reportId: z.number().int().positive().nullable().default(null).describe('the saved lägesbild it was decided from'),
  title: z.string().trim().min(1).max(200),
  plan: planInputSchema.default({ priorities: [], measures: [] }),
});
const SaveBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  plan: planInputSchema,
  baseVersion: z.number().int().positive().describe('the version this edit started from; 409 when someone saved since'),
});
const StatusBody = z.object({ baseVersion: z.number().int().positive().optional() });
const FollowUpQuery = z.object({
  f: z.enum(['json', 'html', 'pdf', 'docx']).default('json')
    .describe('json (default): the figures; html: the follow-up report for the district council with print CSS; pdf: the same, A4 by headless Chromium (503 without it); docx: the same as an editable Word document'),
  lang: z.enum(['sv', 'en']).default('sv').describe('Language of the report (html, pdf, docx): sv (default) or en'),
});
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const routes: FastifyPluginAsyncZod = async (app) => {
  const writers = app.requireRole('staff', 'analyst', 'admin');
  // the app's one Chromium (plugins/browser.ts) for the follow-up PDF
  const pool = app.browserPool;

  const mayWrite = (p: Principal, areaId: number) => mayWriteReport(app.db, p, areaId);
  const refuse = async (p: Principal, areaId: number) => forbidden(`Your staff key covers ${await describeDistricts(app.db, p)}, which does not include ${await describeArea(app.db, areaId)}.`);

  /** Those who may write for the plan's area, and analysts, read its drafts, decided versions and history. */
  const readsDrafts = async (p: Principal, plan: ActionPlan) => mayRead(p, { ...plan, status: 'draft' }, p.role === 'staff' && (await mayWrite(p, plan.areaId)));
  /**
   * The plan as this principal may read it: the plan itself for those who may read its drafts; for everyone else its
   * published face (the latest published version while a revision is drafted), without names for the public. A plan
   * never published does not exist for them. `full` says whether they read the plan itself.
   */
  const view = async (p: Principal, id: number): Promise<{ plan: ActionPlan; full: boolean }> => {
    const plan = await getActionPlan(app.db, id);
    if (plan && (await readsDrafts(p, plan))) return { plan, full: true };
    const face = plan ? await publishedFace(app.db, plan) : null;
    if (!face) throw notFound(`No action plan ${id}.`);
    return { plan: p.role === 'public' ? withoutNames(face) : face, full: false };
  };
  const readable = async (p: Principal, id: number): Promise<ActionPlan> => (await view(p, id)).plan;
  const writable = async (p: Principal, id: number): Promise<ActionPlan> => {
    const plan = await getActionPlan(app.db, id);
    if (!plan) throw notFound(`No action plan ${id}.`);
    if (!(await mayWrite(p, plan.areaId))) {
      if (!(await publishedFace(app.db, plan)) && !mayRead(p, plan, false)) throw notFound(`No action plan ${id}.`);
      throw await refuse(p, plan.areaId);
    }
    return plan;
  };

  app.get('/api/action-plans', {
    schema: {
      tags: TAGS, summary: 'Action plans of an area (or all): published ones for everyone, drafts and decided ones for staff of the area and analysts',
      querystring: z.object({ areaId: z.coerce.number().int().positive().optional().describe('only the plans of this area') }),
      response: { 200: z.object({ plans: z.array(actionPlanSchema) }), ...problems },
    },
  }, async (req) => {
    const p = req.principal;
    const all = await listActionPlans(app.db, { areaId: req.query.areaId, publishedOnly: p.role === 'public' });
    const plans = [];
    for (const plan of all) {
      if (await readsDrafts(p, plan)) { plans.push(plan); continue; }
      const face = await publishedFace(app.db, plan);
      if (face) plans.push(p.role === 'public' ? withoutNames(face) : face);
    }
    return { plans };
  });

  app.post('/api/action-plans', {
    preHandler: writers,
    schema: {
      tags: TAGS, summary: 'Start an action plan (a draft) for an area; indicator baselines are filled from the statistics (kind incidents, the default) or the survey (kind survey: /api/survey\'s public figure at the latest wave)',
      body: CreateBody, response: { 201: actionPlanSchema, ...problems },
    },
  }, async (req, reply) => {
    const b = req.body;
    if (!(await mayWrite(req.principal, b.areaId))) throw await refuse(req.principal, b.areaId);
    const plan = await createActionPlan(app.db, { areaId: b.areaId, reportId: b.reportId, title: b.title, plan: b.plan, by: actor(req.principal) }, await app.publicDisclosure(), app.config.surveyMinRespondents);
    await recordAudit(app.db, req.principal, 'action-plan.create', `action-plan:${plan.id}`, { areaId: b.areaId });
    return reply.code(201).send(plan);
  });

  app.get('/api/action-plans/:id', {
    schema: { tags: TAGS, summary: 'One action plan', params: IdParams, response: { 200: actionPlanSchema, ...problems } },
  }, async (req) => readable(req.principal, req.params.id));

  app.put('/api/action-plans/:id', {
    preHandler: writers,
    schema: {
      tags: TAGS, summary: 'Save a draft: priorities, orsaksanalys, measures and indicators (a kept version; 409 when someone saved since baseVersion, or the plan is decided)',
      params: IdParams, body: SaveBody, response: { 200: actionPlanSchema, ...problems, 409: problemSchema },
    },
  }, async (req) => {
    await writable(req.principal, req.params.id);
    const plan = await saveActionPlan(app.db, req.params.id, { title: req.body.title, plan: req.body.plan, baseVersion: req.body.baseVersion, by: actor(req.principal) }, await app.publicDisclosure(), app.config.surveyMinRespondents);
    await recordAudit(app.db, req.principal, 'action-plan.update', `action-plan:${plan.id}`, { version: plan.version });
    return plan;
  });

  for (const [path, to, summary] of [
    ['decide', 'decided', 'Decide the plan: it is frozen from now on'],
    ['publish', 'published', 'Publish a decided plan: the public may read it'],
    ['revise', 'draft', 'Revise a decided or published plan: a new draft version (the decided one stays in the history)'],
  ] as const) {
    app.post(`/api/action-plans/:id/${path}`, {
      preHandler: writers,
      schema: { tags: TAGS, summary, params: IdParams, body: StatusBody, response: { 200: actionPlanSchema, ...problems, 409: problemSchema } },
    }, async (req) => {
      await writable(req.principal, req.params.id);
      const plan = await changeStatus(app.db, req.params.id, to, actor(req.principal), req.body?.baseVersion);
      await recordAudit(app.db, req.principal, `action-plan.${path}`, `action-plan:${plan.id}`, { version: plan.version });
      return plan;
    });
  }

  app.get('/api/action-plans/:id/versions', {
    schema: {
      tags: TAGS, summary: 'The kept versions of a plan: who saved, decided or revised it, when, and what changed',
      description: 'Newest first. Each version lists what changed against the one before it: the title, the status, and each priority, indicator '
        + 'and measure added, removed or changed (with the fields). Those who read only the published plan (the public, staff of other districts) '
        + 'get its published versions alone, compared with each other, and no names.',
      params: IdParams,
      response: { 200: z.object({ versions: z.array(z.object({
        version: z.number(), status: z.string(), title: z.string(),
        savedBy: z.string().nullable().describe('who saved it (a key or role); null for those who read only the published plan'), savedAt: z.string(),
        changes: z.array(z.object({
          subject: z.enum(CHANGE_SUBJECTS), change: z.enum(CHANGE_KINDS),
          id: z.string().nullable().describe('the priority, measure or priority/indicator id'),
          label: z.string().describe('its title or label (the new title, the new status)'),
          fields: z.array(z.string()).describe('changed: the fields that changed (owner, end, causalAnalysis.likelyCauses, triangle.place …)'),
        })).describe('what changed against the version before (none for the first)'),
      })) }), ...problems },
    },
  }, async (req) => {
    const { full } = await view(req.principal, req.params.id);
    return { versions: await actionPlanVersions(app.db, req.params.id, { publishedOnly: !full }) };
  });

  app.get('/api/action-plans/:id/follow-up', {
    schema: {
      tags: TAGS, summary: 'The follow-up, computed: each indicator\'s current value against its baseline (incidents: exact Poisson test, 95 % CI; survey: the latest wave against the baseline wave, two-proportion test), measures by status, overdue measures',
      description: 'f=html|pdf|docx gives the same follow-up as a report for the district council (the plan, each priority with its origin, ' +
        'orsaksanalys, problem triangle and indicators, the measures with overdue ones flagged), in Swedish or English (lang). ' +
        'Counts below the disclosure threshold are written "< k". Read as the plan: the public only for published plans.',
      params: IdParams, querystring: FollowUpQuery,
      response: { 200: followUpSchema.describe('f=json; f=html, pdf and docx are the report document'), ...problems, 503: problemSchema },
    },
  }, async (req, reply) => {
    const plan = await readable(req.principal, req.params.id);
    const disclosure = await app.disclosureOf(req.principal);
    const figures = await followUp(app.db, plan, disclosure, app.config.surveyMinRespondents);
    const { f, lang } = req.query;
    if (f === 'json') return figures;
    const doc = await followUpDocument(app.db, plan, figures, disclosure, { lang, showNames: req.principal.role !== 'public', surveyMinRespondents: app.config.surveyMinRespondents });
    await recordAudit(app.db, req.principal, 'action-plan.export', `action-plan:${plan.id}`, { f, lang, exact: disclosure.exact });
    const file = `uppfoljning-atgardsplan-${plan.id}-${figures.asOf}`;
    if (f === 'docx') {
      const docx = await renderFollowUpDocx(doc);
      return reply.type(DOCX_TYPE).header('Content-Disposition', `attachment; filename="${file}.docx"`).send(docx as never);
    }
    const html = renderFollowUpHtml(doc, { downloads: { pdf: `?f=pdf&lang=${lang}`, docx: `?f=docx&lang=${lang}` } });
    if (f === 'html') return reply.type('text/html; charset=utf-8').send(html as never);
    const pdf = await htmlToPdf(pool, html, followUpPdfHeaderFooter(doc));
    return reply.type('application/pdf').header('Content-Disposition', `inline; filename="${file}.pdf"`).send(pdf as never);
  });
};

export default routes;
