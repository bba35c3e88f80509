// Re-encrypts every secret at rest under the key ring's primary key: after a new key is put first in
// JUNCTION_MASTER_KEYS, this moves old data onto it so the old key can later be dropped. Each row is
// rewritten in its own short transaction, only when its key id differs, so it can run while the
// service serves and can be re-run after an interruption.
import { decryptSecret, encryptSecret, keyIdOf, type KeyRing } from '../core/crypto.ts';
import type { Db } from './db.ts';

/** Every encrypted column: table, primary key, column, and an optional key-id column kept beside it. */
const ENCRYPTED_COLUMNS = [
  { table: 'merchants', id: 'id', column: 'response_key_enc' },
  { table: 'merchants', id: 'id', column: 'webhook_password_enc' },
  { table: 'merchants', id: 'id', column: 'webhook_hmac_key_enc' },
  { table: 'gateway_accounts', id: 'id', column: 'credentials_enc' },
  { table: 'card_vault', id: 'token', column: 'ciphertext', keyIdColumn: 'key_id' },
  { table: 'merchant_jwt_keys', id: 'key_id', column: 'junction_private_key_enc' },
] as const;

export async function rotateSecrets(db: Db, ring: KeyRing): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const spec of ENCRYPTED_COLUMNS) {
    const label = `${spec.table}.${spec.column}`;
    counts[label] = 0;
    const stale = await db.query<{ id: string; value: string }>(`SELECT ${spec.id} AS id, ${spec.column} AS value FROM ${spec.table} WHERE ${spec.column} IS NOT NULL AND ${spec.column} NOT LIKE $1`, [
      `${ring.primaryKeyId}:%`,
    ]);
    for (const row of stale) {
      if (keyIdOf(row.value) === ring.primaryKeyId) continue;
      const fresh = encryptSecret(ring, decryptSecret(ring, row.value));
      const keyIdSet = 'keyIdColumn' in spec ? `, ${spec.keyIdColumn} = $4` : '';
      const params = 'keyIdColumn' in spec ? [fresh, row.id, row.value, ring.primaryKeyId] : [fresh, row.id, row.value];
      // Only if nobody rewrote it meanwhile (compare-and-set on the old ciphertext).
      const updated = await db.query(`UPDATE ${spec.table} SET ${spec.column} = $1${keyIdSet} WHERE ${spec.id} = $2 AND ${spec.column} = $3 RETURNING 1`, params);
      counts[label] += updated.length;
    }
  }
  return counts;
}
