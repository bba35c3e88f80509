// JwtKeyStore over SQL.
import type { JwtKeyRecord, JwtKeyStore } from '../core/ports/jwt-key-store.ts';
import type { Db } from './db.ts';
import { toDate } from './sql-values.ts';

interface JwtKeyRow {
  key_id: string;
  merchant_id: string;
  merchant_public_key: string;
  junction_public_key: string;
  junction_private_key_enc: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

function fromRow(r: JwtKeyRow): JwtKeyRecord {
  return {
    keyId: r.key_id,
    merchantId: r.merchant_id,
    merchantPublicKey: r.merchant_public_key,
    junctionPublicKey: r.junction_public_key,
    junctionPrivateKeyEnc: r.junction_private_key_enc,
    createdAt: toDate(r.created_at),
    revokedAt: r.revoked_at ? toDate(r.revoked_at) : null,
  };
}

export function createJwtKeyRepository(db: Db): JwtKeyStore {
  return {
    async insert(r) {
      const rows = await db.query<JwtKeyRow>(
        `INSERT INTO merchant_jwt_keys (key_id, merchant_id, merchant_public_key, junction_public_key, junction_private_key_enc)
         VALUES ($1,$2,$3,$4,$5) RETURNING *`,
        [r.keyId, r.merchantId, r.merchantPublicKey, r.junctionPublicKey, r.junctionPrivateKeyEnc],
      );
      return fromRow(rows[0]!);
    },
    async get(keyId) {
      const rows = await db.query<JwtKeyRow>('SELECT * FROM merchant_jwt_keys WHERE key_id = $1', [keyId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async list(merchantId) {
      return (await db.query<JwtKeyRow>('SELECT * FROM merchant_jwt_keys WHERE merchant_id = $1 ORDER BY created_at', [merchantId])).map(fromRow);
    },
    async revoke(merchantId, keyId) {
      const rows = await db.query<JwtKeyRow>('UPDATE merchant_jwt_keys SET revoked_at = coalesce(revoked_at, now()) WHERE merchant_id = $1 AND key_id = $2 RETURNING *', [merchantId, keyId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
  };
}
