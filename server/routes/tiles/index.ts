import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
const route: FastifyPluginAsyncZod = async () => {};
export default route;
