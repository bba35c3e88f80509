// Issue 10: every route declares the params, query string and body it reads as TypeBox schemas
// (validated by Fastify, typed by the type provider), so a handler never reads unchecked input.
// The audit runs on every route as it is registered; a route added without schemas fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { auditRoute, registerRouteSchemaAudit } from '../../src/http/route-schema-audit.ts';
import { startTestApp } from '../helpers/test-app.ts';

test('every route of the app declares the params, query string and body it reads', async () => {
  const j = await startTestApp();
  try {
    assert.deepEqual(j.routeSchemaProblems, []);
  } finally {
    await j.close();
  }
});

test('the audit catches a route that forgets one', async () => {
  const app = Fastify();
  const audit = registerRouteSchemaAudit(app);
  app.get('/things/:id', { schema: { params: Type.Object({ id: Type.String() }) } }, async () => ({}));
  app.post('/things', { schema: {} }, async () => ({}));
  app.delete('/things/:id', async () => ({}));
  app.get('/static/*', { schema: { hide: true } }, async () => '');
  app.post('/ok', { schema: { body: Type.Object({}) } }, async () => ({}));
  await app.ready();
  assert.deepEqual(audit.problems(), [
    { route: 'GET /things/:id', missing: ['querystring'] },
    { route: 'POST /things', missing: ['body'] },
    { route: 'DELETE /things/:id', missing: ['params', 'querystring'] },
  ]);
  assert.equal(auditRoute({ method: 'GET', url: '/x', schema: { querystring: Type.Object({}) }, handler: async () => ({}) }), null);
  await app.close();
});
