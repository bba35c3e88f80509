// What every merchant use-case receives: the store, the key ring, the clock, the in-memory caches
// of hot lookups and the change signal that lets other instances drop theirs.
import type { KeyRing } from '../crypto.ts';
import { notFound } from '../errors.ts';
import type { MerchantRecord, MerchantStore } from '../ports/merchant-store.ts';
import type { MerchantCaches } from './merchant-caches.ts';

export interface MerchantDeps {
  store: MerchantStore;
  keyRing: KeyRing;
  now: () => Date;
  caches: MerchantCaches;
  /** Called after every change that dropped cached lookups here (MerchantServiceOptions.onChange). */
  changed: (merchantId: string) => void;
}

export async function requireMerchant(store: MerchantStore, merchantId: string): Promise<MerchantRecord> {
  const record = typeof merchantId === 'string' && merchantId ? await store.getMerchant(merchantId) : null;
  if (!record) throw notFound('Merchant');
  return record;
}
