import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password-hash.ts';
import { AppError } from './errors.ts';

// Small parameters keep the test fast; the format and the comparison are what is under test.
const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    assert.match(stored, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    const a = await hashPassword('same password here', FAST);
    const b = await hashPassword('same password here', FAST);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same password here', b), true);
  });

  it('uses memory-hard default parameters', async () => {
    const stored = await hashPassword('default parameters');
    const [, N, r] = stored.split('$');
    assert.ok(Number(N) * Number(r) * 128 >= 32 * 1024 * 1024, 'at least 32 MiB per hash');
  });

  it('treats malformed or hostile stored hashes as a mismatch, never an exception', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$1$1$$', 'bcrypt$x$y$z$a$b', `scrypt$${2 ** 24}$8$1$abc$def`, 'scrypt$1024$8$1$c2FsdA$']) {
      assert.equal(await verifyPassword('whatever password', stored), false, stored);
    }
  });

  it('enforces the length policy with a field-named error', () => {
    assert.throws(
      () => checkPasswordPolicy('short'),
      (e: unknown) => e instanceof AppError && e.fields[0]?.field_name === 'password',
    );
    assert.throws(() => checkPasswordPolicy(42), AppError);
    assert.equal(checkPasswordPolicy('long enough pw'), 'long enough pw');
  });
});
