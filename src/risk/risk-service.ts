// The risk service: loads a merchant's setup through the repository port, compiles it once (rules,
// list indexes) and keeps it until it changes, runs the engine, then the external provider when the
// merchant has one, with its own deadline and the merchant's fail-open or fail-closed choice.
// Implements the payment core's RiskScreen port. No I/O of its own: storage, counters and providers
// are injected.
import { combine, assessRisk, buildRiskProfile, type RiskProfile } from './engine.ts';
import { ListIndex, type ListKind } from './lists.ts';
import { recordDeclineForCardTesting } from './checks.ts';
import { verdictScore, type RiskProvider } from './provider.ts';
import { postAuthSettings, type CheckResult, type RiskAssessment, type RiskConfig, type RiskContext, type RiskRule } from './types.ts';
import type { VelocityStore } from './velocity-store.ts';

export interface RiskListEntry {
  list: 'block' | 'allow';
  kind: ListKind;
  value: string;
}

/** What the risk service reads of a merchant's stored setup. */
export interface RiskSetupReader {
  /** Changes whenever anything of the merchant's setup changes (cheap: one row). */
  setupVersion(merchantId: string): Promise<string>;
  getConfig(merchantId: string): Promise<RiskConfig | null>;
  listRules(merchantId: string): Promise<RiskRule[]>;
  /** Every entry of the merchant's lists, streamed in pages by the adapter. */
  listEntries(merchantId: string): Promise<RiskListEntry[]>;
}

export interface RiskServiceDeps {
  setup: RiskSetupReader;
  velocity: VelocityStore;
  providers?: ReadonlyMap<string, RiskProvider>;
  /** How long a compiled setup is reused before it is read again (other instances' changes). */
  cacheMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export interface RiskScreenAnswer {
  assessment: RiskAssessment;
  mode: 'sequential' | 'parallel';
}

export function createRiskService(deps: RiskServiceDeps) {
  const cacheMs = deps.cacheMs ?? 5_000;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => undefined);
  interface Cached { at: number; version: string; profile: Promise<RiskProfile | null>; refreshing?: boolean }
  const cache = new Map<string, Cached>();

  async function load(merchantId: string): Promise<RiskProfile | null> {
    const config = await deps.setup.getConfig(merchantId);
    if (!config || !config.enabled) return null;
    const [rules, entries] = await Promise.all([deps.setup.listRules(merchantId), deps.setup.listEntries(merchantId)]);
    const blocklist = new ListIndex();
    const allowlist = new ListIndex();
    for (const e of entries) (e.list === 'block' ? blocklist : allowlist).add(e.kind, e.value);
    return buildRiskProfile(config, rules, { blocklist: blocklist.size ? blocklist : null, allowlist: allowlist.size ? allowlist : null });
  }

  function fresh(merchantId: string): Cached {
    const entry: Cached = { at: now(), version: '', profile: Promise.resolve(null) };
    entry.profile = deps.setup.setupVersion(merchantId).then((version) => {
      entry.version = version;
      return load(merchantId);
    });
    entry.profile.catch(() => {
      if (cache.get(merchantId) === entry) cache.delete(merchantId);
    });
    return entry;
  }

  /**
   * The merchant's compiled setup. Past cacheMs the version row is read (one cheap query); only a
   * changed version reloads, and until the new setup is compiled the previous one keeps serving.
   */
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
        const version = await deps.setup.setupVersion(merchantId);
        hit.at = now();
        if (version !== hit.version) {
          const next = fresh(merchantId);
          next.profile.then(() => {
            if (cache.get(merchantId) === hit) cache.set(merchantId, next);
          }, () => undefined);
        }
      } finally {
        hit.refreshing = false;
      }
    }
    return hit.profile;
  }

  /** Called after every change of a merchant's setup (this instance sees it at once). */
  function invalidate(merchantId: string): void {
    cache.delete(merchantId);
  }

  function failed(config: RiskConfig, why: string, checks: CheckResult[] = []): RiskAssessment {
    const check: CheckResult = config.failOpen
      ? { check: 'failure', action: 'allow', score: 0, reasons: [`${why}: proceeding (fail open)`] }
      : { check: 'failure', action: 'block', score: 100, reasons: [`${why}: declined (fail closed)`], code: 'RISK_PROVIDER_DECLINED' };
    return combine([...checks, check], config.provider);
  }

  async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The built-in checks, then the provider's pre-authorisation call when the merchant has one. */
  async function evaluate(ctx: RiskContext, profile: RiskProfile, eventId: string, dryRun: boolean): Promise<RiskAssessment> {
    const { config } = profile;
    let builtin: RiskAssessment;
    try {
      builtin = await assessRisk(ctx, profile, deps.velocity, { eventId, dryRun });
    } catch (error) {
      log('error', 'risk checks failed', { merchant: ctx.merchantId, error: String(error) });
      return failed(config, 'risk checks unavailable');
    }
    if (config.provider === 'builtin' || builtin.action === 'block' || builtin.allowlisted) return builtin;
    const provider = deps.providers?.get(config.provider);
    if (!provider) return failed(config, `risk provider ${config.provider} is not available`, builtin.checks);
    try {
      const verdict = await withDeadline(provider.preAuth(ctx), config.providerTimeoutMs, `risk provider ${config.provider}`);
      const check: CheckResult = {
        check: `provider:${provider.id}`, action: verdict.decision, score: verdictScore(verdict),
        reasons: verdict.reasons.map((r) => `${provider.id}: ${r}`), ...(verdict.decision === 'allow' ? {} : { code: 'RISK_PROVIDER_DECLINED' as const }),
      };
      return { ...combine([...builtin.checks, check], provider.id) };
    } catch (error) {
      log('warn', 'risk provider failed', { merchant: ctx.merchantId, provider: config.provider, error: String(error) });
      return failed(config, `risk provider ${config.provider} failed (${error instanceof Error ? error.message : 'error'})`, builtin.checks);
    }
  }

  return {
    invalidate,
    async modeFor(merchantId: string): Promise<'sequential' | 'parallel' | null> {
      const profile = await profileOf(merchantId);
      return profile ? profile.config.mode : null;
    },
    async assess(ctx: RiskContext, eventId: string): Promise<RiskScreenAnswer | null> {
      let profile: RiskProfile | null;
      try {
        profile = await profileOf(ctx.merchantId);
      } catch (error) {
        log('error', 'risk setup unreadable', { merchant: ctx.merchantId, error: String(error) });
        return null;
      }
      if (!profile) return null;
      return { assessment: await evaluate(ctx, profile, eventId, false), mode: profile.config.mode };
    },
    /** A payment through the checks without counting it anywhere (the dry-run API). */
    async dryRun(ctx: RiskContext, override?: { config?: RiskConfig }): Promise<RiskAssessment> {
      const stored = await profileOf(ctx.merchantId);
      const config = override?.config ?? stored?.config;
      if (!config) return combine([{ check: 'none', action: 'allow', score: 0, reasons: ['no risk configuration: payments are not checked'] }]);
      const profile = stored ? { ...stored, config } : buildRiskProfile(config, [], { blocklist: null, allowlist: null });
      return evaluate(ctx, profile, 'dry-run', true);
    },
    /**
     * The provider's post-authorisation call once the gateway has authorised or charged the attempt:
     * null when the merchant's provider has none (or it is turned off). Never rejects: a timeout or an
     * error becomes an allow (fail open) or a block (fail closed) check, with the reason.
     */
    async postAuth(ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<CheckResult | null> {
      let profile: RiskProfile | null;
      try {
        profile = await profileOf(ctx.merchantId);
      } catch (error) {
        log('error', 'risk setup unreadable', { merchant: ctx.merchantId, error: String(error) });
        return null;
      }
      if (!profile || profile.config.provider === 'builtin') return null;
      const settings = postAuthSettings(profile.config);
      const provider = deps.providers?.get(profile.config.provider);
      if (!settings.enabled || (provider && !provider.postAuth)) return null;
      const name = `provider:${profile.config.provider}:post_auth`;
      const failed = (why: string): CheckResult => settings.failOpen
        ? { check: name, action: 'allow', score: 0, reasons: [`${why}: proceeding (fail open)`] }
        : { check: name, action: 'block', score: 100, reasons: [`${why}: declined (fail closed)`], code: 'RISK_PROVIDER_DECLINED' };
      if (!provider?.postAuth) return failed(`risk provider ${profile.config.provider} is not available`);
      try {
        const verdict = await withDeadline(provider.postAuth(ctx, auth), settings.timeoutMs, `risk provider ${provider.id} (post-authorisation)`);
        return {
          check: name, action: verdict.decision, score: verdictScore(verdict),
          reasons: verdict.reasons.map((r) => `${provider.id}: ${r}`), ...(verdict.decision === 'allow' ? {} : { code: 'RISK_PROVIDER_DECLINED' as const }),
        };
      } catch (error) {
        log('warn', 'risk provider post-authorisation failed', { merchant: ctx.merchantId, provider: provider.id, error: String(error) });
        return failed(`risk provider ${provider.id} post-authorisation failed (${error instanceof Error ? error.message : 'error'})`);
      }
    },
    async recordOutcome(ctx: RiskContext, outcome: { declined: boolean }, eventId: string): Promise<void> {
      if (!outcome.declined) return;
      const profile = await profileOf(ctx.merchantId);
      const blocked = await recordDeclineForCardTesting(ctx, profile?.config.checks.cardTesting ?? null, deps.velocity, eventId);
      if (blocked.length) log('warn', 'card-testing guard tripped', { merchant: ctx.merchantId, sources: blocked });
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
