// Payments for buildApp: the merchant directory the payment service reads, the payment service
// itself (connectors, routing, risk, scoring, metrics), and the customer and session views on it.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { KeyRing } from '../core/crypto.ts';
import { createCustomerService } from '../core/customers/customer-service.ts';
import type { createGatewayStatusTable } from '../core/gateway-status/gateway-status-table.ts';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import { createPaymentMethodsView, createSessionHandler } from '../core/payments/payment-methods.ts';
import { createPaymentService, type MerchantDirectory, type PaymentService } from '../core/payments/payment-service.ts';
import type { Connector } from '../core/ports/connector.ts';
import type { GatewayRouter } from '../core/ports/router.ts';
import type { RoutingIntelligence } from '../core/routing-intelligence/routing-intelligence.ts';
import { connectorCapabilities } from '../connectors/registry.ts';
import { instrumentRouter } from '../observability/instrument.ts';
import type { Metrics, MetricsRecorder } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { createRiskService } from '../risk/risk-service.ts';
import type { createPaymentStore } from '../storage/payment-repository.ts';

/** What the payment service reads of merchants: their accounts, secrets and routing settings (cached by the merchant service). */
export function merchantDirectory(merchants: MerchantService): MerchantDirectory {
  return {
    routingCandidates: async (merchantId) => [...(await merchants.routingCandidates(merchantId))],
    connectorAccount: (merchantId, accountId) => merchants.connectorAccount(merchantId, accountId),
    webhookTarget: async (merchantId) => {
      const secrets = await merchants.getMerchantSecrets(merchantId);
      return { url: secrets.webhook.url, version: secrets.webhook.version };
    },
    responseKey: async (merchantId) => (await merchants.getMerchantSecrets(merchantId)).responseKey,
    routingSettings: (merchantId) => merchants.getRoutingSettings(merchantId),
  };
}

export interface PaymentWiring {
  config: Config;
  keyRing: KeyRing;
  store: ReturnType<typeof createPaymentStore>;
  directory: MerchantDirectory;
  connectors: Map<string, Connector>;
  router: GatewayRouter;
  risk: ReturnType<typeof createRiskService>;
  scoring: RoutingIntelligence;
  gatewayStatus: ReturnType<typeof createGatewayStatusTable>;
  metrics: Metrics | null;
  recorder: MetricsRecorder;
  tracing: Tracing;
  /** Merchants with a settled payment since start: whose gateway health the metrics endpoint reads. */
  merchantsSeen: Set<string>;
  log: FastifyBaseLogger;
}

export interface WiredPayments {
  payments: PaymentService;
  customers: ReturnType<typeof createCustomerService>;
  paymentMethods: ReturnType<typeof createPaymentMethodsView>;
  createSession: ReturnType<typeof createSessionHandler>;
}

export function wirePayments(w: PaymentWiring): WiredPayments {
  const { config, metrics, merchantsSeen, log } = w;
  const payments = createPaymentService({
    store: w.store,
    merchants: w.directory,
    connectors: { get: (name) => w.connectors.get(name) },
    risk: w.risk,
    supportsManualCapture: (gateway) => connectorCapabilities(gateway)?.captureModes.includes('MANUAL') ?? false,
    refundResendWindowMs: (gateway) => {
      const hours = connectorCapabilities(gateway)?.refundIdempotencyHours;
      return hours ? (hours * 3_600_000) / 2 : null;
    },
    router: metrics || w.tracing.enabled ? instrumentRouter(w.router, w.recorder, w.tracing) : w.router,
    keyRing: w.keyRing,
    publicBaseUrl: config.publicBaseUrl,
    classifyFailure: (gateway, rawCode) => w.gatewayStatus.classify(gateway, rawCode),
    onOutcome: (txn) => {
      w.scoring.onTxnSettled(txn);
      if (!metrics) return;
      metrics.paymentOutcome({ merchantId: txn.merchantId, gateway: txn.gateway, paymentMethodType: txn.paymentMethodType, status: txn.status, unifiedError: txn.errorCode });
      if (!merchantsSeen.has(txn.merchantId) && merchantsSeen.size < 1_000) merchantsSeen.add(txn.merchantId);
    },
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const customers = createCustomerService(w.store);
  const paymentMethods = createPaymentMethodsView(w.directory);
  const createSession = createSessionHandler(payments, config.publicBaseUrl);
  return { payments, customers, paymentMethods, createSession };
}
