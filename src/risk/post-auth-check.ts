// The provider's post-authorisation call once the gateway has authorised or charged the attempt.
import type { RiskProfile } from './engine.ts';
import { withDeadline } from './deadline.ts';
import { verdictCheck, type RiskProvider } from './provider.ts';
import { postAuthSettings, type CheckResult, type RiskContext } from './types.ts';
import type { RiskLog } from './risk-service.ts';

export interface PostAuthCheckDeps {
  providers?: ReadonlyMap<string, RiskProvider> | undefined;
  log: RiskLog;
}

/**
 * Null when the merchant's provider has none (or it is turned off). Never rejects: a timeout or an
 * error becomes an allow (fail open) or a block (fail closed) check, with the reason.
 */
export async function checkPostAuth(deps: PostAuthCheckDeps, profile: RiskProfile | null, ctx: RiskContext, auth: { status: string; gatewayTxnId: string | null }): Promise<CheckResult | null> {
  if (!profile || profile.config.provider === 'builtin') return null;
  const settings = postAuthSettings(profile.config);
  const provider = deps.providers?.get(profile.config.provider);
  if (!settings.enabled || (provider && !provider.postAuth)) return null;
  const name = `provider:${profile.config.provider}:post_auth`;
  const failed = (why: string): CheckResult =>
    settings.failOpen
      ? { check: name, action: 'allow', score: 0, reasons: [`${why}: proceeding (fail open)`] }
      : { check: name, action: 'block', score: 100, reasons: [`${why}: declined (fail closed)`], code: 'RISK_PROVIDER_DECLINED' };
  if (!provider?.postAuth) return failed(`risk provider ${profile.config.provider} is not available`);
  try {
    const verdict = await withDeadline(provider.postAuth(ctx, auth), settings.timeoutMs, `risk provider ${provider.id} (post-authorisation)`);
    return verdictCheck(name, provider.id, verdict);
  } catch (error) {
    deps.log('warn', 'risk provider post-authorisation failed', { merchant: ctx.merchantId, provider: provider.id, error: String(error) });
    return failed(`risk provider ${provider.id} post-authorisation failed (${error instanceof Error ? error.message : 'error'})`);
  }
}
