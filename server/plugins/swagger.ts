// OpenAPI from the routes' zod schemas: JSON at /docs/json, a browsable UI at /docs.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { documentQueryParams } from './query-docs.js';

export default fp(async function swaggerPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Trygghetskarta API',
        description: 'Crime, insecurity and place collaboration per area and period. Counts below the suppression threshold are hidden for the public role. Dates: `from` inclusive, `to` exclusive, local days (Europe/Stockholm).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key created with `npm run users -- create-key`' } },
      },
    },
    transform: jsonSchemaTransform,
    // every query parameter with a description and an example (query-docs.ts)
    transformObject: (o) => {
      const doc = 'openapiObject' in o ? o.openapiObject : o.swaggerObject;
      documentQueryParams(doc as Parameters<typeof documentQueryParams>[0]);
      return doc;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
});
