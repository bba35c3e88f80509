// Risk checks for buildApp (issue 14): the risk service (counters in Redis when REDIS_URL is set,
// else in the database), the external providers a merchant may name, and their webhooks.
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import type { PaymentService } from '../core/payments/payment-service.ts';
import { createReferenceRiskProvider } from '../connectors/risk-providers/reference-risk-provider.ts';
import { RiskWebhookSignatureError, type RiskProvider } from '../risk/provider.ts';
import { createRiskService } from '../risk/risk-service.ts';
import type { Db } from '../storage/db.ts';
import { createRiskRepository } from '../storage/risk-repository.ts';
import { createDbVelocityStore } from '../storage/velocity-repository.ts';
import { RedisVelocityStore } from '../storage/redis-velocity-store.ts';

export interface WiredRisk {
  risk: ReturnType<typeof createRiskService>;
  riskStore: ReturnType<typeof createRiskRepository>;
  riskProviders: Map<string, RiskProvider>;
  /** Closed with the app (null without Redis). */
  riskRedis: Redis | null;
}

export function wireRisk(config: Config, db: Db, extraProviders: RiskProvider[] | undefined, log: FastifyBaseLogger): WiredRisk {
  const riskRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2_000 }) : null;
  const riskStore = createRiskRepository(db);
  const riskProviders = new Map(
    [
      ...(config.riskReference
        ? [
            createReferenceRiskProvider({
              baseUrl: config.riskReference.url,
              apiKey: config.riskReference.apiKey,
              ...(config.riskReference.webhookSecret ? { webhookSecret: config.riskReference.webhookSecret } : {}),
            }),
          ]
        : []),
      ...(extraProviders ?? []),
    ].map((p) => [p.id, p]),
  );
  const risk = createRiskService({
    setup: riskStore,
    velocity: riskRedis ? new RedisVelocityStore(riskRedis) : createDbVelocityStore(db),
    providers: riskProviders,
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  return { risk, riskStore, riskProviders, riskRedis };
}

/** A risk provider's webhook: verified by the provider, applied only to a merchant that runs that provider. */
export function riskProviderWebhook(riskProviders: Map<string, RiskProvider>, riskStore: WiredRisk['riskStore'], payments: PaymentService) {
  return async (providerId: string, headers: Record<string, string | string[] | undefined>, rawBody: string) => {
    const provider = riskProviders.get(providerId);
    if (!provider?.parseWebhook)
      throw new AppError('RESOURCE_NOT_FOUND', `No risk provider ${providerId} takes webhooks here`, { fields: [{ field_name: 'provider', reason: 'not a configured risk provider with webhooks' }] });
    let parsed: ReturnType<NonNullable<typeof provider.parseWebhook>>;
    try {
      parsed = provider.parseWebhook(headers, rawBody);
    } catch (error) {
      if (error instanceof RiskWebhookSignatureError) throw new AppError('INVALID_INPUT', 'Webhook signature does not match', { fields: [{ field_name: 'x-risk-signature', reason: error.message }] });
      throw new AppError('INVALID_INPUT', `Webhook body not understood: ${error instanceof Error ? error.message : 'bad body'}`, {
        fields: [{ field_name: 'body', reason: 'is not a webhook of this provider' }],
      });
    }
    if (!parsed) return { received: true, handled: false };
    // Only a merchant that runs this provider lets it change its payments.
    const merchantConfig = await riskStore.getConfig(parsed.merchantId);
    if (merchantConfig?.provider !== providerId) return { received: true, handled: false };
    return { received: true, ...(await payments.applyRiskVerdict(parsed.merchantId, parsed.orderId, providerId, parsed.verdict)) };
  };
}
