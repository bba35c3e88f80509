// Ports of the routing-intelligence glue: where scores live (in process or Redis, per merchant) and
// where merchants' scheduled outages are kept. Adapters are wired in app.ts.
import type { ScoreStore } from '../../routing/scoring/index.ts';

/** One score store per merchant (a key prefix per merchant in Redis). */
export interface ScoreStoreFactory {
  forMerchant(merchantId: string): ScoreStore;
  /** Forgets everything learnt for a merchant (tests, operator reset). */
  reset(merchantId: string): Promise<void>;
  /** Closes connections (Redis). */
  close(): Promise<void>;
}

export interface ScheduledOutageRecord {
  id: string;
  merchantId: string;
  gateway: string;
  startAt: Date;
  endAt: Date;
  paymentMethodType: string | null;
  createdAt: Date;
}

export interface ScheduledOutageStore {
  /** The merchant's outages that end after `endsAfter` (all when absent), by start time. */
  list(merchantId: string, endsAfter?: Date): Promise<ScheduledOutageRecord[]>;
  insert(outage: Omit<ScheduledOutageRecord, 'createdAt'>): Promise<ScheduledOutageRecord>;
  delete(merchantId: string, id: string): Promise<boolean>;
}

/** A score store per merchant, created on first use and kept. */
export function createScoreStoreFactory(create: (merchantId: string) => ScoreStore & { clear?: () => Promise<void> }, close: () => Promise<void> = async () => undefined): ScoreStoreFactory {
  const stores = new Map<string, ScoreStore & { clear?: () => Promise<void> }>();
  return {
    async reset(merchantId) {
      const store = stores.get(merchantId) ?? create(merchantId);
      stores.delete(merchantId);
      await store.clear?.();
    },
    forMerchant(merchantId) {
      let store = stores.get(merchantId);
      if (!store) {
        store = create(merchantId);
        stores.set(merchantId, store);
      }
      return store;
    },
    close: async () => {
      stores.clear();
      await close();
    },
  };
}
