// The pre-authorisation assessment: the built-in checks, then the merchant's external provider
// (when it has one) with its own deadline and the merchant's fail-open or fail-closed choice.
import { combine, assessRisk, type RiskProfile } from './engine.ts';
import { withDeadline } from './deadline.ts';
import { verdictCheck, type RiskProvider } from './provider.ts';
import type { CheckResult, RiskAssessment, RiskConfig, RiskContext } from './types.ts';
import type { RiskLog } from './risk-service.ts';
import type { VelocityStore } from './velocity-store.ts';

export interface PreAuthAssessmentDeps {
  velocity: VelocityStore;
  providers?: ReadonlyMap<string, RiskProvider> | undefined;
  log: RiskLog;
}

/** The assessment when the checks or the provider could not answer, per the merchant's fail-open choice. */
function failed(config: RiskConfig, why: string, checks: CheckResult[] = []): RiskAssessment {
  const check: CheckResult = config.failOpen
    ? { check: 'failure', action: 'allow', score: 0, reasons: [`${why}: proceeding (fail open)`] }
    : { check: 'failure', action: 'block', score: 100, reasons: [`${why}: declined (fail closed)`], code: 'RISK_PROVIDER_DECLINED' };
  return combine([...checks, check], config.provider);
}

/** The built-in checks, then the provider's pre-authorisation call when the merchant has one. */
export async function assessPreAuth(deps: PreAuthAssessmentDeps, ctx: RiskContext, profile: RiskProfile, eventId: string, dryRun: boolean): Promise<RiskAssessment> {
  const { config } = profile;
  let builtin: RiskAssessment;
  try {
    builtin = await assessRisk(ctx, profile, deps.velocity, { eventId, dryRun });
  } catch (error) {
    deps.log('error', 'risk checks failed', { merchant: ctx.merchantId, error: String(error) });
    return failed(config, 'risk checks unavailable');
  }
  if (config.provider === 'builtin' || builtin.action === 'block' || builtin.allowlisted) return builtin;
  const provider = deps.providers?.get(config.provider);
  if (!provider) return failed(config, `risk provider ${config.provider} is not available`, builtin.checks);
  try {
    const verdict = await withDeadline(provider.preAuth(ctx), config.providerTimeoutMs, `risk provider ${config.provider}`);
    return { ...combine([...builtin.checks, verdictCheck(`provider:${provider.id}`, provider.id, verdict)], provider.id) };
  } catch (error) {
    deps.log('warn', 'risk provider failed', { merchant: ctx.merchantId, provider: config.provider, error: String(error) });
    return failed(config, `risk provider ${config.provider} failed (${error instanceof Error ? error.message : 'error'})`, builtin.checks);
  }
}
