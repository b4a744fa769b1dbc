// Every error is application/problem+json (RFC 9457) with a detail that says what to do; a bad parameter is a
// 400 naming the parameter, an unreachable database a 503 with Retry-After, never a bare 500 for bad input.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DatabaseUnavailableError } from '../db/index.js';
import { isConnectionError } from '../db/postgres.js';
import { DomainProblem } from '../domain/problems.js';
import { ImportFileError, ImportRejectedError, formatRowError } from '../ingest/errors.js';
import { requestLang } from './request-lang.js';
import { issueSentence } from './validation-messages.js';

export class HttpProblem extends Error {
  constructor(public readonly status: number, public readonly title: string, detail: string, public readonly extra: Record<string, unknown> = {}) {
    super(detail);
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(400, 'Bad Request', detail, extra);
export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
export const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail);

/** Where a field the domain names came from in this request: the path, the query string or the body. */
function fieldLocation(req: FastifyRequest, field: string): 'path' | 'querystring' | 'body' {
  const top = field.split('.')[0];
  const has = (o: unknown) => typeof o === 'object' && o !== null && Object.hasOwn(o, top);
  if (has(req.params)) return 'path';
  if (has(req.query)) return 'querystring';
  if (has(req.body)) return 'body';
  return ['GET', 'HEAD', 'DELETE'].includes(req.method) ? 'querystring' : 'body';
}

/** The one mapping from the domain's problems to HTTP: status, parameter locations, Retry-After. */
function sendDomainProblem(req: FastifyRequest, reply: FastifyReply, p: DomainProblem) {
  const extra = { ...(p.info.extra ?? {}) };
  const lang = requestLang(req);
  switch (p.kind) {
    case 'not-found': return sendProblem(reply, 404, 'Not Found', p.message, extra);
    case 'invalid': {
      const errors = (p.info.fields ?? []).map((f) => ({ parameter: f.field, in: fieldLocation(req, f.field), message: typeof f.message === 'string' ? f.message : f.message[lang] }));
      return sendProblem(reply, 400, 'Bad Request', p.info.texts?.[lang] ?? p.message, errors.length ? { errors, ...extra } : extra);
    }
    case 'forbidden':
      return p.info.signInMayHelp ? sendProblem(reply, 401, 'Unauthorized', p.message, extra) : sendProblem(reply, 403, 'Forbidden', p.message, extra);
    case 'conflict': return sendProblem(reply, 409, 'Conflict', p.message, extra);
    case 'unavailable':
      if (p.info.retryAfterSeconds !== undefined) {
        reply.header('Retry-After', String(p.info.retryAfterSeconds));
        extra.retryAfterSeconds = p.info.retryAfterSeconds;
      }
      return sendProblem(reply, 503, 'Service Unavailable', p.message, extra);
  }
}

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: 'about:blank', title, status, detail, instance: reply.request.url.split('?')[0], ...extra });
}

export default fp(async function errors(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 404, 'Not Found', `No route ${req.method} ${req.url.split('?')[0]}. See /docs for the API.`));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      // sentences a person understands, in the request's language (plugins/validation-messages.ts)
      const lang = requestLang(req);
      const part = (err.validationContext ?? 'request');
      const input = (part === 'querystring' ? req.query : part === 'params' ? req.params : part === 'body' ? req.body : undefined) as Record<string, unknown> | undefined;
      const issues = err.validation.map((v) => {
        const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
        const name = where || (v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') || part;
        const given = where ? where.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), input) : undefined;
        const s = issueSentence({ parameter: name, in: part, keyword: String(v.keyword), params: (v.params ?? {}) as Record<string, unknown>, message: v.message ?? '', given }, lang);
        return { parameter: name, in: part, message: s.message, ...(s.validCodes ? { validCodes: s.validCodes } : {}) };
      });
      const detail = issues.map((i) => i.message).join(' ');
      const one = issues.length === 1 ? { parameter: issues[0].parameter, ...(issues[0].validCodes ? { validCodes: issues[0].validCodes } : {}) } : {};
      return sendProblem(reply, 400, 'Bad Request', detail, { ...one, errors: issues });
    }
    if (err instanceof DomainProblem) return sendDomainProblem(req, reply, err);
    if (err instanceof HttpProblem) {
      if (typeof err.extra.retryAfterSeconds === 'number') reply.header('Retry-After', String(err.extra.retryAfterSeconds));
      return sendProblem(reply, err.status, err.title, err.message, err.extra);
    }
    if (err instanceof ImportRejectedError) {
      return sendProblem(reply, 422, 'Import rejected', err.message, { errors: err.errors.slice(0, 1000).map((e) => ({ ...e, message: formatRowError(e) })), rejected: err.errors.length });
    }
    if (err instanceof ImportFileError) return sendProblem(reply, 422, 'Import rejected', err.message);
    if (err instanceof DatabaseUnavailableError || isConnectionError(err)) {
      reply.header('Retry-After', '5');
      return sendProblem(reply, 503, 'Service Unavailable', 'The database is not reachable right now; try again in a few seconds.');
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err: { message: err.message } }, 'response did not match its schema');
      return sendProblem(reply, 500, 'Internal Server Error', 'The server produced an invalid response; this is a bug.');
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      const code = String((err as { code?: unknown }).code ?? '');
      // statement timeouts and cancelled queries are the server's limit, not a crash
      if (code === '57014') {
        reply.header('Retry-After', '30');
        return sendProblem(reply, 503, 'Service Unavailable', 'The query took too long and was cancelled; narrow the period or area and try again.');
      }
      if (/^53/.test(code)) {
        reply.header('Retry-After', '10');
        return sendProblem(reply, 503, 'Service Unavailable', 'The database is short of resources right now; try again shortly.');
      }
      // a data exception (a value out of range, an impossible date …) that validation let through: the request's fault
      if (/^22[0-9A-Z]{3}$/.test(code)) {
        req.log.warn({ err: { message: err.message, code } }, 'data exception from a request value');
        return sendProblem(reply, 400, 'Bad Request', `A parameter value is out of range or malformed for this query: ${err.message}`);
      }
      req.log.error({ err: { message: err.message, stack: err.stack } }, 'unhandled error');
      return sendProblem(reply, 500, 'Internal Server Error', 'Something went wrong on the server; the error has been logged.');
    }
    return sendProblem(reply, status, STATUS_CODES[status] ?? 'Bad Request', err.message);
  });
});
