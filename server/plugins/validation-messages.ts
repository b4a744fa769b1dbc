// The one place where the validator's findings become sentences a person understands, in Swedish and English:
// never "expected number, received NaN", "Invalid enum value", "Required" or "Invalid input". Each zod issue (as
// fastify-type-provider-zod hands it over: keyword = the issue code, params = the rest of the issue) is told by what
// the parameter should be — from a hint per well-known parameter name, else from the issue itself.
import type { RequestLang } from './request-lang.js';

type L = { sv: string; en: string };

const DATE: L = { sv: 'ett datum som ÅÅÅÅ-MM-DD, t.ex. 2024-01-01', en: 'a date as YYYY-MM-DD, e.g. 2024-01-01' };
const ID: L = { sv: 'ett heltal större än 0', en: 'a whole number greater than 0' };

/** What a well-known parameter must be, in words (also used when the issue alone would say too little). */
const HINTS: Record<string, L> = {
  from: DATE, to: DATE, compareFrom: DATE, compareTo: DATE, baselineFrom: DATE, baselineTo: DATE,
  before: { sv: 'en period som ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD', en: 'a period as YYYY-MM-DD..YYYY-MM-DD' }, after: { sv: 'en period som ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD', en: 'a period as YYYY-MM-DD..YYYY-MM-DD' },
  areaSet: { sv: 'id:t för en områdesindelning, t.ex. stadsdelar (GET /api/area-sets listar dem)', en: 'the id of an area set, e.g. stadsdelar (GET /api/area-sets lists them)' },
  category: { sv: 'kategorikoder åtskilda av komma, t.ex. ran,stold (GET /api/categories listar dem)', en: 'category codes separated by commas, e.g. ran,stold (GET /api/categories lists them)' },
  bbox: { sv: 'fyra tal: väst,syd,öst,nord', en: 'four numbers: west,south,east,north' },
  group: { sv: 'all, female, male eller en åldersgrupp som 16-29 (GET /api/survey/groups listar dem)', en: 'all, female, male or an age band such as 16-29 (GET /api/survey/groups lists them)' },
  indicator: { sv: 'en indikatorkod (GET /api/survey/indicators listar dem)', en: 'an indicator code (GET /api/survey/indicators lists them)' },
  wave: { sv: 'id:t för en mätning (GET /api/survey/waves listar dem)', en: 'the id of a survey wave (GET /api/survey/waves lists them)' },
  areaId: ID, id: ID, placeId: ID, controlAreaId: ID, goalId: ID, measureId: ID,
};

const q = (v: unknown) => `"${String(v).slice(0, 40)}"`;
const list = (vs: unknown[]) => vs.map(String).join(', ');

function typeWords(expected: unknown): L {
  switch (expected) {
    case 'number': return { sv: 'ett tal', en: 'a number' };
    case 'int': return { sv: 'ett heltal', en: 'a whole number' };
    case 'boolean': return { sv: 'true eller false', en: 'true or false' };
    case 'array': return { sv: 'en lista', en: 'a list' };
    case 'object': return { sv: 'ett objekt', en: 'an object' };
    case 'date': return DATE;
    default: return { sv: 'en text', en: 'a text' };
  }
}

/** A sentence for one issue, and the values the parameter may take when they are few and known (an enum). */
export function issueSentence(
  o: { parameter: string; in: string; keyword: string; params: Record<string, unknown>; message: string; given: unknown },
  lang: RequestLang,
): { message: string; validCodes?: string[] } {
  const p = o.parameter;
  const subject: L = o.in === 'body' ? { sv: `Fältet "${p}"`, en: `Field "${p}"` } : { sv: `Parametern "${p}"`, en: `Parameter "${p}"` };
  const hint = HINTS[p.split('.').pop() ?? p];
  const got = o.given === undefined || o.given === null || typeof o.given === 'object' ? { sv: '', en: '' } : { sv: ` (fick ${q(o.given)})`, en: ` (got ${q(o.given)})` };
  const say = (l: L) => ({ message: l[lang] });
  const mustBe = (what: L, withGot = true) => say({ sv: `${subject.sv} måste vara ${what.sv}${withGot ? got.sv : ''}.`, en: `${subject.en} must be ${what.en}${withGot ? got.en : ''}.` });
  const x = o.params;
  switch (o.keyword) {
    case 'invalid_type': {
      if (o.given === undefined || /received undefined/.test(o.message)) {
        return say(hint
          ? { sv: `${subject.sv} saknas; den ska vara ${hint.sv}.`, en: `${subject.en} is missing; it must be ${hint.en}.` }
          : { sv: `${subject.sv} saknas.`, en: `${subject.en} is missing.` });
      }
      return mustBe(hint ?? typeWords(x.expected));
    }
    case 'invalid_value': {
      const values = Array.isArray(x.values) ? x.values.map(String) : [];
      return { ...say({ sv: `${subject.sv} måste vara en av: ${list(values)}${got.sv}.`, en: `${subject.en} must be one of: ${list(values)}${got.en}.` }), validCodes: values };
    }
    case 'too_small': {
      const n = x.minimum;
      if (x.origin === 'string') return say(Number(n) <= 1 ? { sv: `${subject.sv} får inte vara tom.`, en: `${subject.en} must not be empty.` } : { sv: `${subject.sv} måste ha minst ${n} tecken.`, en: `${subject.en} must have at least ${n} characters.` });
      if (x.origin === 'array' || x.origin === 'set') return say({ sv: `${subject.sv} måste ha minst ${n} värden.`, en: `${subject.en} must have at least ${n} values.` });
      return say(x.inclusive === false
        ? { sv: `${subject.sv} måste vara större än ${n}${got.sv}.`, en: `${subject.en} must be greater than ${n}${got.en}.` }
        : { sv: `${subject.sv} måste vara minst ${n}${got.sv}.`, en: `${subject.en} must be at least ${n}${got.en}.` });
    }
    case 'too_big': {
      const n = x.maximum;
      if (x.origin === 'string') return say({ sv: `${subject.sv} får ha högst ${n} tecken.`, en: `${subject.en} may have at most ${n} characters.` });
      if (x.origin === 'array' || x.origin === 'set') return say({ sv: `${subject.sv} får ha högst ${n} värden.`, en: `${subject.en} may have at most ${n} values.` });
      return say(x.inclusive === false
        ? { sv: `${subject.sv} måste vara mindre än ${n}${got.sv}.`, en: `${subject.en} must be less than ${n}${got.en}.` }
        : { sv: `${subject.sv} får vara högst ${n}${got.sv}.`, en: `${subject.en} must be at most ${n}${got.en}.` });
    }
    case 'not_multiple_of': return say({ sv: `${subject.sv} måste vara en multipel av ${x.divisor}${got.sv}.`, en: `${subject.en} must be a multiple of ${x.divisor}${got.en}.` });
    case 'unrecognized_keys': {
      const keys = Array.isArray(x.keys) ? list(x.keys) : '';
      return say({ sv: `Okända fält: ${keys}.`, en: `Unknown fields: ${keys}.` });
    }
    default: {
      if (hint) return mustBe(hint);
      // a rule of the schema's own (a regular expression or a refinement) with its own words, when it has them
      const own = /^(invalid|expected|required)/i.test(o.message) ? '' : o.message;
      return say(own
        ? { sv: `${subject.sv} har ett ogiltigt värde${got.sv}: ${own}.`, en: `${subject.en} is not valid${got.en}: ${own}.` }
        : { sv: `${subject.sv} har ett ogiltigt värde${got.sv}.`, en: `${subject.en} is not valid${got.en}.` });
    }
  }
}
