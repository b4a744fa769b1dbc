// The lägesbild report (lag 2023:196): generated live for any area and period (f=json|html|pdf), and saved
// snapshots with the staff's orsaksanalys, prioriteringar and åtgärdsplan (SMART goals).
// Access: the live report is open to everyone in the viewer's privacy view (public/staff: suppressed like the API;
// analyst/admin: exact). Saved reports are working documents: listed and read by staff, analysts and admins;
// created and edited by admins, analysts, and staff whose districts cover the area (domain/reports/area-districts.ts).
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planOverviewSchema } from '../../domain/action-plans/action-plan-schema.js';
import { OVERVIEW_CSV_COLUMNS, cityOverview, overviewCsvRows } from '../../domain/action-plans/city-overview.js';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { describeArea, describeDistricts } from '../../domain/keys/staff-districts.js';
import { mayWriteReport } from '../../domain/reports/area-districts.js';
import { buildLagesbild, type LagesbildOptions } from '../../domain/reports/build-lagesbild.js';
import { disclosureKey, memoImage } from '../../domain/reports/report-memo.js';
import { renderMapImage } from '../../rendering/map-image.js';
import { pdfHeaderFooter, renderLagesbildHtml, type RenderContext } from '../../rendering/render-html.js';
import {
  getSavedReport, insertSavedReport, type SavedReport,
} from '../../domain/reports/saved-reports.js';
import { saveStaffText } from '../../domain/reports/report-versions.js';
import { StaffTextPatchSchema, StaffTextSchema } from '../../domain/reports/staff-text.js';
import type { LagesbildContent, Lang } from '../../domain/reports/types.js';
import { htmlToPdf } from '../../rendering/render-pdf.js';
import { renderLagesbildDocx } from '../../rendering/render-docx.js';
import { seesExactData, type Principal } from '../../domain/access/principal.js';
import { forbidden, notFound } from '../../plugins/errors.js';
import { areaSetId, isoDate, numericId, problemSchema } from '../shared-schemas.js';
import { sendAreaRows } from '../send-area-rows.js';
import { csvLang, csvSep } from '../stats/schemas.js';

const TAGS = ['reports'];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 503: problemSchema };
const lang = z.enum(['sv', 'en']).default('sv').describe('Language of the report: sv (default) or en');
const FORMATS = ['json', 'html', 'pdf', 'docx'] as const;
type Format = (typeof FORMATS)[number];
const format = z.enum(FORMATS).default('html')
  .describe('json: the content; html: the document with print CSS; pdf: A4 rendered by headless Chromium; docx: the same report as an editable Word document');
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const LiveQuery = z.object({
  areaId: numericId.describe('Any area id (municipality, district area, district, basområde …): GET /api/area-sets/{id}/areas'),
  from: isoDate.optional().describe('First day (inclusive, local time). Default: 12 months before `to`'),
  to: isoDate.optional().describe('Day after the last day (exclusive), as in /api/stats. Default: the day after the latest crime'),
  lang, f: format,
  evaluatePlaces: z.enum(['true', 'false']).default('true').transform((v) => v === 'true')
    .describe('Run the before/after evaluation of every platssamverkan place in the area (default; seconds per place); false leaves it out'),
});

const CreateBody = z.object({
  areaId: numericId,
  from: isoDate.optional(), to: isoDate.optional(), lang: z.enum(['sv', 'en']).default('sv'),
  title: z.string().max(300).default(''),
  staffText: StaffTextSchema.optional(),
  evaluatePlaces: z.boolean().default(true).describe('Freeze the before/after evaluation of each place with the report (default; seconds per place)'),
}).strict();

const PatchBody = z.object({
  title: z.string().max(300).optional(), staffText: StaffTextPatchSchema.optional(),
  baseVersion: z.number().int().positive().optional()
    .describe('The version the edit started from (GET …?f=json: version). Another save since then: 409, nothing saved. Or send If-Match: "<version>"'),
}).strict();
const ListQuery = z.object({
  areaSet: areaSetId.optional(), areaId: numericId.optional(),
  f: z.enum(['json', 'csv']).default('json').describe('json (default), or csv: the city\'s overview, one row per area (latest lägesbild, stale, the latest plan\'s status, priorities, measures by status, indicators on/off track, overdue measures)'),
  sep: csvSep, lang: csvLang,
});
const IdParams = z.object({ id: numericId });
const SavedMetaOut = z.object({
  id: z.number(), areaId: z.number(), areaSetId: z.string().nullable(), areaCode: z.string().nullable(), areaName: z.string().nullable(),
  title: z.string(), periodFrom: z.string(), periodTo: z.string().describe('exclusive, like the live report\'s `to`'), lang: z.string(),
  reportDate: z.string(), dataVersion: z.number(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(), updatedBy: z.string().nullable(),
  hasExact: z.boolean(), stale: z.boolean().describe('report date more than two years ago'),
  version: z.number().describe('the staff text\'s current version: GET /api/reports/{id}/versions'), updatedByName: z.string().nullable(),
  staffText: z.unknown(), links: z.object({ json: z.string(), html: z.string(), pdf: z.string(), docx: z.string() }),
});
const ListOut = z.object({
  areas: z.array(z.object({
    areaId: z.number(), areaSetId: z.string(), code: z.string(), name: z.string(), reportCount: z.number(),
    latestReportId: z.number().nullable(), latestReportDate: z.string().nullable(),
    stale: z.boolean().describe('no saved lägesbild, or the latest is dated more than two years ago'),
    latestActionPlan: planOverviewSchema.nullable()
      .describe('the area\'s latest action plan in brief, with its indicators by follow-up status (GET /api/action-plans/{id}/follow-up for the figures)'),
  })),
  reports: z.array(SavedMetaOut.omit({ staffText: true, links: true })),
});
/** The document (html/pdf) or the content (json): not described field by field here; see LagesbildContent. */
const Document = z.any();
const SavedQuery = z.object({ f: z.enum(FORMATS).default('json') });

const route: FastifyPluginAsyncZod = async (app) => {
  const pool = app.browserPool;
  const readers = app.requireRole('staff', 'analyst', 'admin');

  /** Our own origin, when the server listens (not under app.inject): the real map can then be screenshot. */
  const baseUrl = (): string | null => {
    const addr = app.server.listening ? (app.server.address() as AddressInfo | null) : null;
    if (!addr || typeof addr !== 'object') return null;
    const host = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host}:${addr.port}`;
  };

  const options = async (p: Principal, l: Lang, withMap: boolean): Promise<LagesbildOptions> => {
    const disclosure = await app.disclosureOf(p);
    // the image is the same for the same area, period, language, privacy view and data version: rendered once (seconds
    // in Chromium) and kept per data version; not kept when there is none (no Chromium) or the real map fell back to
    // the SVG drawing while the server listens (a later request may get the real map)
    const mapImage: LagesbildOptions['mapImage'] = (area, hot, period) => {
      const base = baseUrl();
      return memoImage(app.db, `map-image|${area.id}|${period.from}|${period.to}|${l}|${disclosureKey(disclosure)}|${base ? 'real' : 'svg'}`,
        () => renderMapImage(app.db, area, hot, period, { pool, lang: l, baseUrl: base }),
        (m) => m.kind === 'real-map' || (m.kind === 'svg-fallback' && !base));
    };
    return { disclosure, surveyMinRespondents: app.config.surveyMinRespondents, principal: p, mapImage: withMap ? mapImage : undefined };
  };

  async function send(reply: import('fastify').FastifyReply, content: LagesbildContent, f: Format, ctx: RenderContext, fileStem: string) {
    if (f === 'json') return reply.type('application/json; charset=utf-8').send(content);
    if (f === 'docx') {
      const docx = await renderLagesbildDocx(content, ctx);
      return reply.type(DOCX_TYPE).header('Content-Disposition', `attachment; filename="${fileStem}.docx"`).send(docx);
    }
    const html = renderLagesbildHtml(content, ctx);
    if (f === 'html') return reply.type('text/html; charset=utf-8').send(html);
    const pdf = await htmlToPdf(pool, html, pdfHeaderFooter(content));
    return reply.type('application/pdf').header('Content-Disposition', `inline; filename="${fileStem}.pdf"`).send(pdf);
  }

  const stem = (c: LagesbildContent) => `lagesbild-${c.area.code.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || c.area.id}-${c.period.from}`;

  app.get('/api/reports/lagesbild', {
    schema: {
      tags: TAGS, summary: 'The lägesbild of an area and period, generated from the current data (json, html, pdf or docx)',
      description: 'Sections: summary (findings backed by a figure and a test), scope of crime, consequences and insecurity, ' +
        'where and when (hotspot map image, weekday × hour, places with most incidents), platssamverkan, data sources, the empty ' +
        'staff sections (orsaksanalys, prioriteringar, åtgärdsplan with SMART goals) and the methodology. Figures equal /api/stats ' +
        'for the area\'s set and the same period, in the caller\'s privacy view. f=pdf needs Chromium on the server (503 otherwise).',
      querystring: LiveQuery, response: { 200: Document, ...problems },
    },
  }, async (req, reply) => {
    const q = req.query;
    // the PDF and HTML carry a map image; JSON too, so a saved snapshot and the JSON are the same content
    const content = await buildLagesbild(app.db, { areaId: q.areaId, from: q.from, to: q.to, lang: q.lang, evaluatePlaces: q.evaluatePlaces }, await options(req.principal, q.lang, true));
    await recordAudit(app.db, req.principal, 'report.export', `area:${q.areaId}`, { f: q.f, from: content.period.from, to: content.period.to, lang: q.lang, exact: content.viewer.exact });
    return send(reply, content, q.f, { downloads: downloadLinks(req.url) }, stem(content));
  });

  app.post('/api/reports', {
    preHandler: app.requireRole('staff', 'analyst', 'admin'),
    schema: {
      tags: TAGS, summary: 'Save a lägesbild: freezes the figures (data version recorded) with the staff text',
      description: 'Staff may save for areas within their districts; analysts and admins for any area. The snapshot keeps the ' +
        'public (suppressed) content, and the exact content too when an analyst or admin saves it (only they can read it back).',
      body: CreateBody, response: { 201: SavedMetaOut, ...problems },
    },
  }, async (req, reply) => {
    const b = req.body;
    if (!(await mayWriteReport(app.db, req.principal, b.areaId))) {
      const exists = (await app.db.query('SELECT 1 FROM areas WHERE id = $1', [b.areaId])).rows.length > 0;
      if (!exists) throw notFound(`No area with id ${b.areaId}.`);
      throw forbidden(`Your staff key covers ${await describeDistricts(app.db, req.principal)}, which does not include ${await describeArea(app.db, b.areaId)}.`);
    }
    const staffText = b.staffText ?? StaffTextSchema.parse({});
    const base = { areaId: b.areaId, from: b.from, to: b.to, lang: b.lang, evaluatePlaces: b.evaluatePlaces };
    const publicView: Principal = { ...req.principal, role: req.principal.role === 'staff' ? 'staff' : 'public' };
    const pub = await buildLagesbild(app.db, base, { ...(await options(publicView, b.lang, true)), disclosure: await app.publicDisclosure(), staffText });
    const exact = seesExactData(req.principal)
      ? await buildLagesbild(app.db, base, { ...(await options(req.principal, b.lang, false)), staffText })
      : undefined;
    if (exact) exact.whereWhen.map = pub.whereWhen.map;
    const id = await insertSavedReport(app.db, {
      areaId: b.areaId, areaSetId: pub.area.areaSetId, title: b.title, periodFrom: pub.period.from, periodTo: pub.period.to, lang: b.lang,
      dataVersion: pub.dataVersion, snapshot: { public: pub, ...(exact ? { exact } : {}) }, staffText, createdBy: actor(req.principal),
    });
    await recordAudit(app.db, req.principal, 'report.create', `report:${id}`, { areaId: b.areaId, from: pub.period.from, to: pub.period.to, dataVersion: pub.dataVersion });
    const saved = (await getSavedReport(app.db, id))!;
    return reply.code(201).header('Location', `/api/reports/${id}`).send(metaOf(saved));
  });

  app.get('/api/reports', {
    preHandler: readers,
    schema: {
      tags: TAGS, summary: 'Saved lägesbilder per area: the date of the latest and whether it is stale (older than two years)',
      description: 'With areaSet, every area of the set is listed — also those without any saved lägesbild (stale: true, ' +
        'latestReportDate: null). The law (2023:196) asks for an update at least every other year.',
      querystring: ListQuery, response: { 200: ListOut.describe('f=json; f=csv has one row per area'), ...problems },
    },
  }, async (req, reply) => {
    const q = req.query;
    // the plans' indicators judged on the public figures, whoever asks: their baselines are the public view's (a plan is
    // meant to be published), and so every reader of the overview sees the same on/off track
    const overview = await cityOverview(app.db, { areaSetId: q.areaSet, areaId: q.areaId }, await app.publicDisclosure(), app.config.surveyMinRespondents);
    if (await sendAreaRows(app, reply, {
      f: q.f, sep: q.sep, areaSetId: q.areaSet ?? '', rows: overviewCsvRows(overview.areas) as { areaId: number }[], csvColumns: OVERVIEW_CSV_COLUMNS,
      fileName: `oversikt-lagesbilder-atgardsplaner-${q.areaSet ?? q.areaId ?? 'alla'}`,
    })) return reply;
    return overview;
  });

  app.get('/api/reports/:id', {
    preHandler: readers,
    schema: {
      tags: TAGS, summary: 'A saved lägesbild: the frozen snapshot with the current staff text (json, html, pdf or docx)',
      params: IdParams, querystring: SavedQuery, response: { 200: Document, ...problems },
    },
  }, async (req, reply) => {
    const r = await loadSaved(req.params.id);
    const exact = seesExactData(req.principal) && r.snapshot.exact ? r.snapshot.exact : r.snapshot.public;
    const content: LagesbildContent = { ...exact, staff: r.staffText };
    await recordAudit(app.db, req.principal, 'report.export', `report:${r.id}`, { f: req.query.f, exact: content.viewer.exact });
    if (req.query.f === 'json') return reply.send({ ...metaOf(r), content });
    return send(reply, content, req.query.f, { saved: { id: r.id, reportDate: r.reportDate, title: r.title }, downloads: downloadLinks(req.url) }, `${stem(content)}-nr${r.id}`);
  });

  app.patch('/api/reports/:id', {
    preHandler: app.requireRole('staff', 'analyst', 'admin'),
    schema: {
      tags: TAGS, summary: 'Update the staff text (orsaksanalys, prioriteringar, åtgärdsplan with SMART goals) or the title of a saved lägesbild',
      description: 'Only what is sent changes; the frozen figures never do. Every save is kept as a version (GET …/versions). ' +
        'Send the version the edit started from (baseVersion, or If-Match: "<version>"): when someone saved in between, 409 and nothing is saved.',
      params: IdParams, body: PatchBody, response: { 200: SavedMetaOut, ...problems, 409: problemSchema },
    },
  }, async (req) => {
    const r = await loadSaved(req.params.id);
    if (!(await mayWriteReport(app.db, req.principal, r.areaId))) {
      throw forbidden(`Your staff key covers ${await describeDistricts(app.db, req.principal)}, which does not include this report's area, ${await describeArea(app.db, r.areaId)}.`);
    }
    const baseVersion = req.body.baseVersion ?? ifMatchVersion(req.headers['if-match']);
    await saveStaffText(app.db, { reportId: r.id, patch: req.body.staffText, title: req.body.title, baseVersion, savedBy: actor(req.principal) });
    await recordAudit(app.db, req.principal, 'report.update', `report:${r.id}`, {
      fields: [...Object.keys(req.body.staffText ?? {}).map((k) => `staffText.${k}`), ...(req.body.title !== undefined ? ['title'] : [])],
    });
    return metaOf((await getSavedReport(app.db, r.id))!);
  });

  async function loadSaved(id: number): Promise<SavedReport> {
    const r = await getSavedReport(app.db, id);
    if (!r) throw notFound(`No saved report ${id}. GET /api/reports lists them.`);
    return r;
  }
};

function actor(p: Principal): string {
  return p.keyId === null ? p.role : `key:${p.keyId}`;
}

/** If-Match: "3" (or W/"3", or 3) → 3; absent or not a version → undefined. */
function ifMatchVersion(h: string | string[] | undefined): number | undefined {
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(Array.isArray(h) ? h[0] ?? '' : h ?? '');
  return m ? Number(m[1]) : undefined;
}

function metaOf(r: SavedReport) {
  const { snapshot: _s, staffText, ...meta } = r;
  return { ...meta, staffText, links: { json: `/api/reports/${r.id}?f=json`, html: `/api/reports/${r.id}?f=html`, pdf: `/api/reports/${r.id}?f=pdf`, docx: `/api/reports/${r.id}?f=docx` } };
}

/** The HTML report's "download" links: the same path and query with f=pdf / f=docx, relative (query only). */
function downloadLinks(url: string): { pdf: string; docx: string } {
  const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const withF = (f: string) => { q.set('f', f); return `?${q.toString()}`; };
  return { pdf: withF('pdf'), docx: withF('docx') };
}

export default route;
