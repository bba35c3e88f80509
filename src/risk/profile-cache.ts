// A merchant's compiled risk setup (rules, list indexes), read through the repository port once
// and kept until its version changes.
import { buildRiskProfile, type RiskProfile } from './engine.ts';
import { ListIndex } from './lists.ts';
import type { RiskSetupReader } from './risk-service.ts';

export interface RiskProfileCacheDeps {
  setup: RiskSetupReader;
  /** How long a compiled setup is reused before its version is read again. */
  cacheMs: number;
  now: () => number;
}

export interface RiskProfileCache {
  /**
   * The merchant's compiled setup. Past cacheMs the version row is read (one cheap query); only a
   * changed version reloads, and until the new setup is compiled the previous one keeps serving.
   */
  profileOf(merchantId: string): Promise<RiskProfile | null>;
  /** Called after every change of a merchant's setup (this instance sees it at once). */
  invalidate(merchantId: string): void;
}

/** Reads and compiles a merchant's setup: null when it has none or it is turned off. */
async function loadProfile(setup: RiskSetupReader, merchantId: string): Promise<RiskProfile | null> {
  const config = await setup.getConfig(merchantId);
  if (!config?.enabled) return null;
  const [rules, entries] = await Promise.all([setup.listRules(merchantId), setup.listEntries(merchantId)]);
  const blocklist = new ListIndex();
  const allowlist = new ListIndex();
  for (const e of entries) (e.list === 'block' ? blocklist : allowlist).add(e.kind, e.value);
  return buildRiskProfile(config, rules, { blocklist: blocklist.size ? blocklist : null, allowlist: allowlist.size ? allowlist : null });
}

export function createRiskProfileCache({ setup, cacheMs, now }: RiskProfileCacheDeps): RiskProfileCache {
  interface Cached {
    at: number;
    version: string;
    profile: Promise<RiskProfile | null>;
    refreshing?: boolean;
  }
  const cache = new Map<string, Cached>();

  function fresh(merchantId: string): Cached {
    const entry: Cached = { at: now(), version: '', profile: Promise.resolve(null) };
    entry.profile = setup.setupVersion(merchantId).then((version) => {
      entry.version = version;
      return loadProfile(setup, merchantId);
    });
    entry.profile.catch(() => {
      if (cache.get(merchantId) === entry) cache.delete(merchantId);
    });
    return entry;
  }

  async function profileOf(merchantId: string): Promise<RiskProfile | null> {
    const hit = cache.get(merchantId);
    if (!hit) {
      const entry = fresh(merchantId);
      cache.set(merchantId, entry);
      return entry.profile;
    }
    if (now() - hit.at >= cacheMs && !hit.refreshing) {
      hit.refreshing = true;
      try {
        const version = await setup.setupVersion(merchantId);
        hit.at = now();
        if (version !== hit.version) {
          const next = fresh(merchantId);
          next.profile.then(
            () => {
              if (cache.get(merchantId) === hit) cache.set(merchantId, next);
            },
            () => undefined,
          );
        }
      } finally {
        hit.refreshing = false;
      }
    }
    return hit.profile;
  }

  return {
    profileOf,
    invalidate(merchantId) {
      cache.delete(merchantId);
    },
  };
}
