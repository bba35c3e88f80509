import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { CACHED_SCHEMA_COMPILERS } from './schema-compilers.ts';

/** An app with one route whose body and answer have schemas. */
async function app(answerProps: Record<string, unknown>) {
  const f = Fastify({ schemaController: { compilersFactory: CACHED_SCHEMA_COMPILERS }, ajv: { customOptions: { coerceTypes: false } } });
  f.post(
    '/x',
    {
      schema: {
        body: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'object', properties: answerProps } },
      },
    },
    async (request) => ({ ...(request.body as object), secret: 'not in the schema', note: 'n' }),
  );
  await f.ready();
  return f;
}

describe('schema compilers cached per process', () => {
  test('a second app with the same schemas validates and serialises as the first', async () => {
    const apps = [await app({ amount: { type: 'integer' } }), await app({ amount: { type: 'integer' } })];
    for (const f of apps) {
      const ok = await f.inject({ method: 'POST', url: '/x', payload: { amount: 5 } });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { amount: 5 }, 'the answer holds only what its schema names');
      const bad = await f.inject({ method: 'POST', url: '/x', payload: { amount: '5' } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /amount/);
      await f.close();
    }
  });

  test('an app with a different answer schema gets its own serializer, not a cached one', async () => {
    const narrow = await app({ amount: { type: 'integer' } });
    const wide = await app({ amount: { type: 'integer' }, note: { type: 'string' } });
    assert.deepEqual((await narrow.inject({ method: 'POST', url: '/x', payload: { amount: 2 } })).json(), { amount: 2 });
    assert.deepEqual((await wide.inject({ method: 'POST', url: '/x', payload: { amount: 2 } })).json(), { amount: 2, note: 'n' });
    await narrow.close();
    await wide.close();
  });
});
