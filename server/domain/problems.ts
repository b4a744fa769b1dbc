// What can go wrong in the domain, in the domain's own words. The domain knows no HTTP: it says "no such thing",
// "this value is invalid (field …)", "this principal may not", "changed by someone else meanwhile", "not available
// right now". The one mapping to problem+json (status codes, parameter locations, Retry-After) lives at the HTTP edge
// (the errors plugin).

/** One invalid input value: the field's name as the caller sent it (a query or body field) and why. */
export type FieldIssue = { field: string; message: string };

export type ProblemKind = 'not-found' | 'invalid' | 'forbidden' | 'conflict' | 'unavailable';

export class DomainProblem extends Error {
  constructor(
    public readonly kind: ProblemKind,
    detail: string,
    /** invalid: the fields at fault; forbidden: whether signing in could help; unavailable: when to try again. */
    public readonly info: { fields?: FieldIssue[]; signInMayHelp?: boolean; retryAfterSeconds?: number; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
  }
}

/** Something named does not exist (an area, a place, a goal, a collection …). */
export const notFound = (detail: string) => new DomainProblem('not-found', detail);

/** Input the rules refuse; `fields` names the values at fault, `extra` what the caller may choose instead. */
export const invalid = (detail: string, fields: FieldIssue[] = [], extra?: Record<string, unknown>) =>
  new DomainProblem('invalid', detail, { fields, extra });

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
