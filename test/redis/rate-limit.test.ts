// Rate limits through Redis (REDIS_URL): two instances spend one budget per API key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { startTestApp } from '../helpers/test-app.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');
const nameSpace = `junction-test-rl:${randomBytes(4).toString('hex')}:`;

after(async () => {
  const redis = new Redis(url);
  const keys = await redis.keys(`${nameSpace}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

test('two instances share one budget per merchant key', async () => {
  const limits = { enabled: true, perKeyPerMinute: 6, perSessionPerMinute: 6, perAddressPerMinute: 6 };
  const a = await startTestApp({ redisUrl: url, rateLimits: limits }, { rateLimitNamespace: nameSpace });
  const b = await startTestApp({ redisUrl: url, rateLimits: limits }, { rateLimitNamespace: nameSpace });
  try {
    const get = (j: typeof a) => j.app.inject({ method: 'GET', url: '/customers/nobody', headers: { authorization: j.basic } });
    for (let i = 0; i < 3; i++) assert.notEqual((await get(a)).statusCode, 429);
    for (let i = 0; i < 3; i++) assert.notEqual((await get(b)).statusCode, 429);
    const limited = await get(b);
    assert.equal(limited.statusCode, 429, limited.body);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal((await get(a)).statusCode, 429);
  } finally {
    await a.close();
    await b.close();
  }
});
