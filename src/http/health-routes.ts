// GET /health: 503 until the app is ready, then 200 once the database answers.
import type { FastifyInstance } from 'fastify';
import { NoQuery } from './schemas.ts';

export interface HealthDeps {
  /** False while starting and once closing. */
  isReady: () => boolean;
  /** A trivial query: throws when the database cannot answer. */
  pingDatabase: () => Promise<unknown>;
  /** The database engine named in the answer ('pglite' or 'postgres'). */
  databaseEngine: string;
}

export function registerHealthRoute(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/health', { schema: { querystring: NoQuery, tags: ['health'], summary: 'Answers 200 once the service can serve' } }, async (_request, reply) => {
    if (!deps.isReady()) return reply.status(503).send({ status: 'starting' });
    await deps.pingDatabase();
    // `message` is what a Juspay decision engine client reads of /health (docs/decision-engine-compat.md).
    return { status: 'UP', database: deps.databaseEngine, message: 'Health is good' };
  });
}
