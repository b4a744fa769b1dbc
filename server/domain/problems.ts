// What can go wrong in the domain, in the domain's own words. The domain knows no HTTP: it says "no such thing",
// "this value is invalid (field …)", "this principal may not", "changed by someone else meanwhile", "not available
// right now". The one mapping to problem+json (status codes, parameter locations, Retry-After) lives at the HTTP edge
// (the errors plugin).

/** A sentence in Swedish and English; the edge picks the one the request asks for (Swedish first). */
export type Localized = { sv: string; en: string };

/** One invalid input value: the field's name as the caller sent it (a query or body field) and why. */
export type FieldIssue = { field: string; message: string | Localized };

export type ProblemKind = 'not-found' | 'invalid' | 'forbidden' | 'conflict' | 'unavailable';

export class DomainProblem extends Error {
  constructor(
    public readonly kind: ProblemKind,
    detail: string,
    /** invalid: the fields at fault; forbidden: whether signing in could help; unavailable: when to try again. */
    public readonly info: { fields?: FieldIssue[]; signInMayHelp?: boolean; retryAfterSeconds?: number; extra?: Record<string, unknown>; texts?: Localized } = {},
  ) {
    super(detail);
  }
}

/** Something named does not exist (an area, a place, a goal, a collection …). */
export const notFound = (detail: string) => new DomainProblem('not-found', detail);

/**
 * Input the rules refuse; `fields` names the values at fault, `extra` what the caller may choose instead. A Localized
 * detail is told in the request's language (the message, for logs, is the English one).
 */
export const invalid = (detail: string | Localized, fields: FieldIssue[] = [], extra?: Record<string, unknown>) =>
  typeof detail === 'string'
    ? new DomainProblem('invalid', detail, { fields, extra })
    : new DomainProblem('invalid', detail.en, { fields, extra, texts: detail });

/**
 * A parameter names a code that does not exist (a category, survey indicator, group or wave, an area set …): the
 * problem names the parameter and lists the codes it may take (extra.parameter, extra.validCodes).
 */
export function unknownCode(field: string, given: string | string[], validCodes: string[], what: Localized): DomainProblem {
  const bad = (Array.isArray(given) ? given : [given]).map((g) => `"${g.slice(0, 60)}"`).join(', ');
  const list = validCodes.length > 40 ? `${validCodes.slice(0, 40).join(', ')} …` : validCodes.join(', ');
  const none = { sv: 'det finns inga ännu', en: 'there are none yet' };
  const text: Localized = {
    sv: `Okänd ${what.sv} ${bad} i parametern "${field}". Giltiga koder: ${list || none.sv}.`,
    en: `Unknown ${what.en} ${bad} in parameter "${field}". Valid codes: ${list || none.en}.`,
  };
  return invalid(text, [{ field, message: { sv: `okänd ${what.sv}`, en: `unknown ${what.en}` } }], { parameter: field, validCodes });
}

/**
 * The principal may not do this. `signInMayHelp`: the principal is anonymous and some role could (the edge answers
 * 401 then, 403 otherwise).
 */
export const forbidden = (detail: string, signInMayHelp = false) => new DomainProblem('forbidden', detail, { signInMayHelp });

/**
 * The change was made against a state that is no longer current (someone else saved in between); nothing was
 * written. `extra` tells the caller what is current now, so they can compare and try again.
 */
export const conflict = (detail: string, extra?: Record<string, unknown>) => new DomainProblem('conflict', detail, { extra });

/** A resource the domain depends on is busy or missing right now (a worker, Chromium); worth trying again later. */
export const unavailable = (detail: string, retryAfterSeconds?: number) => new DomainProblem('unavailable', detail, { retryAfterSeconds });
