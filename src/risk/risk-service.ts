// The risk service: loads a merchant's setup through the repository port, compiles it once (rules,
// list indexes) and keeps it until it changes, runs the engine, then the external provider when the
// merchant has one, with its own deadline and the merchant's fail-open or fail-closed choice.
// Implements the payment core's RiskScreen port. No I/O of its own: storage, counters and providers
// are injected.
// The use-cases live beside it: profile-cache.ts (load, compile, keep), pre-auth-assessment.ts and
// post-auth-check.ts (the checks and the provider calls).
import { combine, buildRiskProfile, type RiskProfile } from './engine.ts';
import type { ListKind } from './lists.ts';
import { recordDeclineForCardTesting } from './checks.ts';
import type { RiskProvider } from './provider.ts';
import type { CheckResult, RiskAssessment, RiskConfig, RiskContext, RiskRule } from './types.ts';
import type { VelocityStore } from './velocity-store.ts';
import { createRiskProfileCache } from './profile-cache.ts';
import { assessPreAuth } from './pre-auth-assessment.ts';
import { checkPostAuth } from './post-auth-check.ts';

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

export type RiskLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface RiskServiceDeps {
  setup: RiskSetupReader;
  velocity: VelocityStore;
  providers?: ReadonlyMap<string, RiskProvider>;
  /** How long a compiled setup is reused before it is read again (other instances' changes). */
  cacheMs?: number;
  now?: () => number;
  log?: RiskLog;
}

export interface RiskScreenAnswer {
  assessment: RiskAssessment;
  mode: 'sequential' | 'parallel';
}

export function createRiskService(deps: RiskServiceDeps) {
  const log: RiskLog = deps.log ?? (() => undefined);
  const { profileOf, invalidate } = createRiskProfileCache({ setup: deps.setup, cacheMs: deps.cacheMs ?? 5_000, now: deps.now ?? Date.now });
  const checkDeps = { velocity: deps.velocity, providers: deps.providers, log };

  /** The merchant's compiled setup, or null (logged) when it cannot be read: the payment goes unchecked. */
  async function readableProfileOf(merchantId: string): Promise<RiskProfile | null> {
    try {
      return await profileOf(merchantId);
    } catch (error) {
      log('error', 'risk setup unreadable', { merchant: merchantId, error: String(error) });
      return null;
    }
  }

  return {
    invalidate,
    async modeFor(merchantId: string): Promise<'sequential' | 'parallel' | null> {
      const profile = await profileOf(merchantId);
      return profile ? profile.config.mode : null;
    },
    async assess(ctx: RiskContext, eventId: string): Promise<RiskScreenAnswer | null> {
      const profile = await readableProfileOf(ctx.merchantId);
      if (!profile) return null;
      return { assessment: await assessPreAuth(checkDeps, ctx, profile, eventId, false), mode: profile.config.mode };
    },
    /** A payment through the checks without counting it anywhere (the dry-run API). */
    async dryRun(ctx: RiskContext, override?: { config?: RiskConfig }): Promise<RiskAssessment> {
      const stored = await profileOf(ctx.merchantId);
      const config = override?.config ?? stored?.config;
      if (!config) return combine([{ check: 'none', action: 'allow', score: 0, reasons: ['no risk configuration: payments are not checked'] }]);
      const profile = stored ? { ...stored, config } : buildRiskProfile(config, [], { blocklist: null, allowlist: null });
      return assessPreAuth(checkDeps, ctx, profile, 'dry-run', true);
    },
    /**
     * The provider's post-authorisation call once the gateway has authorised or charged the attempt:
     * null when the merchant's provider has none (or it is turned off). Never rejects: a timeout or an
     * error becomes an allow (fail open) or a block (fail closed) check, with the reason.
     */
    async postAuth(ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<CheckResult | null> {
      return checkPostAuth(checkDeps, await readableProfileOf(ctx.merchantId), ctx, auth);
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
