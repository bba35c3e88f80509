// The background workers for buildApp: webhook outbox delivery, status sync of pending attempts
// and refunds, the dashboard analytics rollup, the risk review expiry and the release guard.
import type { FastifyBaseLogger } from 'fastify';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import type { PaymentService } from '../core/payments/payment-service.ts';
import type { PriorityLogicService } from '../core/priority-logic/priority-logic-service.ts';
import type { FeeRuleLookup } from '../core/priority-logic/release-guard-service.ts';
import { CONNECTOR_DEFINITIONS } from '../connectors/registry.ts';
import type { MetricsRecorder } from '../observability/metrics.ts';
import type { createAnalyticsStore } from '../storage/analytics-repository.ts';
import type { Db } from '../storage/db.ts';
import type { createPaymentStore } from '../storage/payment-repository.ts';
import type { createPriorityLogicStore } from '../storage/priority-logic-repository.ts';
import type { createRiskRepository } from '../storage/risk-repository.ts';
import { createAnalyticsRollupWorker, type AnalyticsRollupWorker } from '../workers/analytics-rollup.ts';
import { createReleaseGuardWorker, type ReleaseGuardWorker } from '../workers/release-guard.ts';
import { createReviewExpiryWorker } from '../workers/risk-review-expiry.ts';
import { createStatusSyncWorker } from '../workers/status-sync.ts';
import { createWebhookDeliveryWorker } from '../workers/webhook-delivery.ts';

export interface WorkerWiring {
  db: Db;
  merchants: MerchantService;
  payments: PaymentService;
  store: ReturnType<typeof createPaymentStore>;
  analyticsStore: ReturnType<typeof createAnalyticsStore>;
  priorityLogicStore: ReturnType<typeof createPriorityLogicStore>;
  priorityLogic: PriorityLogicService;
  feeRule: FeeRuleLookup;
  riskStore: ReturnType<typeof createRiskRepository>;
  recorder: MetricsRecorder;
  log: FastifyBaseLogger;
  /** The dashboard analytics rollup worker's period and lag (defaults 15 s and 10 s). */
  analyticsRollup: { intervalMs?: number; lagMs?: number } | undefined;
  /** The risk review expiry worker's pace and clock (tests). */
  reviewExpiry: { intervalMs?: number; now?: () => number } | undefined;
  /** The release guard's look interval (default 30 s). */
  releaseGuard: { intervalMs?: number } | undefined;
}

export interface Workers {
  webhooks: ReturnType<typeof createWebhookDeliveryWorker>;
  statusSync: ReturnType<typeof createStatusSyncWorker>;
  analyticsRollup: AnalyticsRollupWorker;
  reviewExpiry: ReturnType<typeof createReviewExpiryWorker>;
  releaseGuard: ReleaseGuardWorker;
}

export function createWorkers(w: WorkerWiring): Workers {
  const { store, payments, log } = w;
  const webhooks = createWebhookDeliveryWorker({
    db: w.db,
    loadMerchantWebhookConfig: async (merchantId) => {
      const secrets = await w.merchants.getMerchantSecrets(merchantId);
      return { username: secrets.webhook.username, password: secrets.webhook.password, hmacKey: secrets.webhook.hmacKey, customHeaders: secrets.webhook.customHeaders };
    },
    log: { info: (d, m) => log.info(d, m), warn: (d, m) => log.warn(d, m), error: (d, m) => log.error(d, m) },
    onDelivery: (result, lagMs) => w.recorder.webhookDelivery(result.outcome, lagMs === null ? null : lagMs / 1000),
  });
  const refundResendGateways = CONNECTOR_DEFINITIONS.filter((d) => d.capabilities.refundIdempotencyHours).map((d) => d.gateway as string);
  const statusSync = createStatusSyncWorker({
    listUnsettled: (olderThan, limit) => store.listUnsettledTxns(olderThan, limit),
    syncTxn: (id) => payments.syncTxn(id),
    // Only refunds the sync may ask again: on a gateway that keeps refund idempotency keys, within half that time.
    claimPendingRefunds: (olderThan, limit) =>
      store.claimPendingRefunds(olderThan, limit, {
        gateways: refundResendGateways,
        createdAfter: new Date(Date.now() - Math.max(0, ...CONNECTOR_DEFINITIONS.map((d) => d.capabilities.refundIdempotencyHours ?? 0)) * 1_800_000),
      }),
    syncRefund: (id) => payments.syncRefund(id),
    log: (message, fields) => log.warn(fields, message),
  });
  const releaseGuard = createReleaseGuardWorker({
    store: w.priorityLogicStore,
    feeRule: w.feeRule,
    act: (guard, evidence, action) => w.priorityLogic.guardAct(guard, evidence, action),
    ...w.releaseGuard,
    log: (message, fields) => log.warn(fields, message),
  });
  const analyticsRollup = createAnalyticsRollupWorker({
    rollup: (rollupOptions) => w.analyticsStore.rollup(rollupOptions),
    ...w.analyticsRollup,
    log: (message, fields) => log.warn(fields, message),
  });
  const riskStore = w.riskStore;
  const reviewExpiry = createReviewExpiryWorker({
    claimExpired: (at, limit, leaseMs) => riskStore.claimExpiredReviews(at, limit, leaseMs),
    voidTxn: async (merchantId, txnUuid) => String((await payments.voidTxn(merchantId, txnUuid, { idempotence_key: `risk_expire_${txnUuid}` })).status ?? ''),
    finish: (merchantId, txnUuid, review) => riskStore.finishExpiredReview(merchantId, txnUuid, review),
    notify: (merchantId, txnUuid) => payments.emitReviewEvent(merchantId, txnUuid, 'TXN_REVIEW_EXPIRED'),
    ...w.reviewExpiry,
    log: (message, fields) => log.warn(fields, message),
  });
  return { webhooks, statusSync, analyticsRollup, reviewExpiry, releaseGuard };
}

export function startWorkers(workers: Workers): void {
  workers.webhooks.start();
  workers.statusSync.start();
  workers.analyticsRollup.start();
  workers.reviewExpiry.start();
  workers.releaseGuard.start();
}

export async function stopWorkers(workers: Workers): Promise<void> {
  await Promise.all([workers.webhooks.stop(), workers.statusSync.stop(), workers.analyticsRollup.stop(), workers.reviewExpiry.stop(), workers.releaseGuard.stop()]);
}
