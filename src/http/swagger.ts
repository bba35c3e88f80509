// The OpenAPI document (built from the routes' schemas), its UI under /docs and its JSON at /openapi.json.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** Registered before the routes: the document lists the routes registered after it. */
export async function registerSwagger(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Junction API',
        version: '0.1.0',
        description: 'Payment orchestration with a Juspay Express Checkout compatible merchant API. Authenticate with HTTP Basic: the API key is the username, the password is empty.',
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'API key as the username, empty password' },
          adminBearer: { type: 'http', scheme: 'bearer', description: 'JUNCTION_ADMIN_KEY' },
          userBearer: { type: 'http', scheme: 'bearer', description: 'A dashboard user token (Priority Logic API)' },
        },
      },
      security: [{ basicAuth: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
