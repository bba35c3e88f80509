// Storage port for merchants' JWE/JWS keys.
export interface JwtKeyRecord {
  keyId: string;
  merchantId: string;
  merchantPublicKey: string;
  junctionPublicKey: string;
  junctionPrivateKeyEnc: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface JwtKeyStore {
  insert(record: Omit<JwtKeyRecord, 'createdAt' | 'revokedAt'>): Promise<JwtKeyRecord>;
  get(keyId: string): Promise<JwtKeyRecord | null>;
  list(merchantId: string): Promise<JwtKeyRecord[]>;
  revoke(merchantId: string, keyId: string): Promise<JwtKeyRecord | null>;
}
