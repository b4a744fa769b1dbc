// Hands every route the disclosure control of the request's viewer (server/domain/disclosure): exact for analysts
// and admins, the public one for everyone else. Routes pass it to the domain; no route decides on its own what a
// count may show.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { disclosureFor, type Disclosure } from '../domain/disclosure/disclosure-control.js';
import { seesExactData, type Principal } from '../domain/access/principal.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The disclosure control for this request's viewer. */
    disclosureFor: (req: FastifyRequest) => Promise<Disclosure>;
    /** The disclosure control of a principal (when the request is not at hand). */
    disclosureOf: (p: Principal) => Promise<Disclosure>;
    /** The public view's disclosure control, whoever asks (a saved report's public snapshot). */
    publicDisclosure: () => Promise<Disclosure>;
  }
}

export default fp(async function disclosure(app: FastifyInstance) {
  const settings = { k: app.config.suppressionK, maxNoise: app.config.disclosureNoise };
  app.decorate('disclosureFor', (req: FastifyRequest) => disclosureFor(app.db, seesExactData(req.principal), settings));
  app.decorate('disclosureOf', (p: Principal) => disclosureFor(app.db, seesExactData(p), settings));
  app.decorate('publicDisclosure', () => disclosureFor(app.db, false, settings));
});
