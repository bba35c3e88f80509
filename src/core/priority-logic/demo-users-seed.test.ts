// Several instances starting together on one database seed the demo users at the same moment:
// every one of them succeeds and the users exist once (the cluster test starts three at once); a
// fixed token given on a later start becomes the existing user's token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyRingFromConfig } from '../crypto.ts';
import { seedDemo } from '../merchants/demo-seed.ts';
import { createMerchantService } from '../merchants/merchant-service.ts';
import { migrate, openDb } from '../../storage/db.ts';
import { createMerchantRepository } from '../../storage/merchant-repository.ts';
import { createPriorityLogicStore } from '../../storage/priority-logic-repository.ts';
import { createUserService } from './user-service.ts';

test('concurrent demo user seeds all succeed and create each user once, with random or fixed tokens', async () => {
  const db = await openDb({ dataDir: 'memory://' });
  try {
    await migrate(db);
    const merchants = createMerchantService({ store: createMerchantRepository(db), keyRing: keyRingFromConfig(undefined, 'test-secret') });
    const { merchantId } = await seedDemo(merchants, {});
    const instances = Array.from({ length: 3 }, () => createUserService({ store: createPriorityLogicStore(db), merchantExists: async () => true }));
    const random = await Promise.all(instances.map((users) => users.seedDemoUsers(merchantId, { admin: undefined, approver: undefined, viewer: undefined })));
    for (const seeded of random)
      assert.deepEqual(seeded.map((u) => u.email).sort(), ['admin@demo.junction.local', 'approver@demo.junction.local', 'editor@demo.junction.local', 'viewer@demo.junction.local']);
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE merchant_id = $1', [merchantId]))[0].n;
    assert.equal(await count(), 4);

    const tokens = { admin: 'fixed_admin_token_0001', approver: 'fixed_approver_token_01', viewer: 'fixed_viewer_token_0001' };
    const fixed = await Promise.all(instances.map((users) => users.seedDemoUsers(merchantId, tokens)));
    for (const seeded of fixed) assert.equal(seeded.find((u) => u.role === 'ADMIN')?.token, tokens.admin);
    assert.equal(await count(), 4, 'a fixed token goes to the existing user, no sibling');
    for (const seeded of fixed) assert.equal(seeded.find((u) => u.role === 'ADMIN')?.email, 'admin@demo.junction.local');
    assert.equal((await instances[0].authenticate(tokens.admin))?.role, 'ADMIN');
    assert.equal(await instances[0].authenticate(random[0]!.find((u) => u.role === 'ADMIN')!.token!), null, 'the earlier random token no longer works');
  } finally {
    await db.close();
  }
});
