// The merchant lookups cached in memory for a few seconds (authenticate, routingCandidates,
// connectorAccount, getMerchantSecrets, getRoutingSettings). Local writes invalidate at once,
// other instances see a write within the TTL (or when told through invalidateMerchantCaches).
import type { RoutingSettings } from '../routing-settings.ts';
import type { ConnectorAccount } from '../ports/connector.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { ForgetfulMap } from '../cache/forgetful-map.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { AuthenticatedKey, MerchantSecrets } from './types.ts';

/** How many API keys' hashes one instance remembers (see MerchantCaches.keyHashes). */
const KEY_HASHES = 1_000;

export interface MerchantCaches {
  auth: TtlCache<AuthenticatedKey>;
  /**
   * The SHA-256 of keys that authenticated, so that a key seen again is not hashed again (a tenth of
   * a decide-gateway request's time). The hash is a function of the key alone: nothing to invalidate;
   * whether the key is still valid is authCache's and the database's answer, as before. Only keys
   * that matched a record are remembered, at most KEY_HASHES of them (then it starts over).
   */
  keyHashes: ForgetfulMap<string>;
  routing: TtlCache<readonly RoutingAccount[]>;
  secrets: TtlCache<MerchantSecrets>;
  routingSettings: TtlCache<RoutingSettings>;
  /** Keyed by connectorCacheKey(merchantId, accountId). */
  connector: TtlCache<ConnectorAccount>;
}

/** Cache lifetimes in milliseconds (0 disables a cache). */
export interface MerchantCacheTtls {
  auth?: number;
  routing?: number;
  secrets?: number;
}

export function createMerchantCaches(ttl: MerchantCacheTtls, nowMs: () => number): MerchantCaches {
  return {
    auth: new TtlCache<AuthenticatedKey>(ttl.auth ?? 5_000, nowMs),
    keyHashes: new ForgetfulMap<string>(KEY_HASHES),
    routing: new TtlCache<readonly RoutingAccount[]>(ttl.routing ?? 3_000, nowMs),
    secrets: new TtlCache<MerchantSecrets>(ttl.secrets ?? 5_000, nowMs),
    routingSettings: new TtlCache<RoutingSettings>(ttl.routing ?? 3_000, nowMs),
    connector: new TtlCache<ConnectorAccount>(ttl.secrets ?? 5_000, nowMs, 5_000),
  };
}

export function connectorCacheKey(merchantId: string, accountId: string): string {
  return `${merchantId}\u0000${accountId}`;
}

/** Drops every cached lookup of the merchant in this process (another instance changed it). */
export function invalidateMerchantCaches(caches: MerchantCaches, merchantId: string): void {
  caches.routing.delete(merchantId);
  caches.routingSettings.delete(merchantId);
  caches.secrets.delete(merchantId);
  caches.connector.deleteWhere((key) => key.startsWith(`${merchantId}\u0000`));
  caches.auth.deleteWhere((_hash, value) => value.merchantId === merchantId);
}
