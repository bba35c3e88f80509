// What every payment use-case shares: the ports, the clock, the log, and the two helpers that
// make a state change visible (webhooks queued in the same transaction, the order status view).
import { AppError } from '../errors.ts';
import type { KeyRing } from '../crypto.ts';
import type { Connector, ConnectorAccount, GatewayStatusEntry } from '../ports/connector.ts';
import type { PaymentStore, PaymentTx } from '../ports/payment-store.ts';
import type { RoutingAccount, GatewayRouter } from '../ports/router.ts';
import type { RoutingSettings } from '../routing-settings.ts';
import type { RiskScreen } from '../ports/risk-screen.ts';
import type { TxnStatus } from '../status.ts';
import { buildWebhookEnvelope, resolveWebhookTarget, type WebhookEventName } from '../webhook-events.ts';
import { orderStatusView, txnView } from './order-status-view.ts';
import type { Order, Refund, Txn } from './types.ts';

/** What the payment core needs to know about merchants; implemented over the merchant service in app.ts. */
export interface MerchantDirectory {
  routingCandidates(merchantId: string): Promise<RoutingAccount[]>;
  connectorAccount(merchantId: string, accountId: string): Promise<ConnectorAccount>;
  webhookTarget(merchantId: string): Promise<{ url: string | null; version: string | null }>;
  responseKey(merchantId: string): Promise<string>;
  routingSettings?(merchantId: string): Promise<RoutingSettings>;
}

/** A failed answer's meaning: its gateway status table row without the gateway's own message. */
export type FailureClassification = Omit<GatewayStatusEntry, 'message'>;

export interface ConnectorLookup {
  get(gateway: string): Connector | undefined;
}

export interface PaymentServiceDeps {
  store: PaymentStore;
  merchants: MerchantDirectory;
  connectors: ConnectorLookup;
  router: GatewayRouter;
  keyRing: KeyRing;
  publicBaseUrl: string;
  now?: () => Date;
  /** The gateway status table (raw code -> meaning, operator overrides included). */
  classifyFailure?: (gateway: string, rawCode: string) => Promise<FailureClassification | null>;
  /** Does this gateway take a capture of less than the authorised amount? (Its connector's capabilities.) */
  partialCaptureAllowed?: (gateway: string) => boolean;
  /** Risk checks on the payment path (absent: none for anyone). */
  risk?: RiskScreen;
  /** Does this gateway authorise without capturing (a risk review holds the payment authorised)? */
  supportsManualCapture?: (gateway: string) => boolean;
  /**
   * How long after a refund was asked may it be asked again with the same idempotency key (the
   * gateway answers with the refund it made, or makes it once): half the time the gateway keeps a
   * refund's idempotency key, from its connector definition; null when it does not honour one.
   */
  refundResendWindowMs?: (gateway: string) => number | null;
  /** Called after a settled outcome is stored (routing feedback, metrics). */
  onOutcome?: (txn: Txn, order: Order) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export interface TxnResponse {
  order_id: string;
  txn_id: string;
  txn_uuid: string;
  status: TxnStatus;
  status_id: number;
  payment: { authentication: { method: string; url: string; params?: Record<string, string> }; sdk_params?: Record<string, string> };
  error_code?: string | null;
  error_message?: string | null;
  unified_error?: unknown;
}

export type WebhookTarget = { url: string | null; version: string | null };

export function createPaymentContext(deps: PaymentServiceDeps) {
  const { store, merchants, publicBaseUrl } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const view = { publicBaseUrl };

  /**
   * Resolve the merchant's webhook target BEFORE opening a database transaction: the embedded
   * database is one connection, so a read outside the transaction would wait for it forever.
   */
  const targetOf = (merchantId: string): Promise<WebhookTarget> => merchants.webhookTarget(merchantId);

  const emitLists = new WeakMap<PaymentTx, [Txn[], Refund[]]>();
  async function emit(tx: PaymentTx, merchantTarget: WebhookTarget, order: Order, eventName: WebhookEventName, txn?: Txn): Promise<void> {
    const target = resolveWebhookTarget(merchantTarget.url, order.metadata);
    if (!target) return;
    // Both lists are read once per transaction: events of one state change show the same order.
    let lists = emitLists.get(tx);
    if (!lists) {
      lists = await Promise.all([tx.listTxns(order.id), tx.listRefunds(order.id)]);
      emitLists.set(tx, lists);
    }
    const [txns, refunds] = lists;
    const payload = buildWebhookEnvelope({
      eventName,
      order: orderStatusView(order, txns, refunds, view),
      ...(txn ? { txn: txnView(txn) } : {}),
      now: now().getTime(),
    });
    await tx.enqueueEvent({ merchantId: order.merchantId, eventName, payload, targetUrl: target, webhookVersion: merchantTarget.version });
  }

  async function requireOrder(merchantId: string, orderId: string): Promise<Order> {
    const order = await store.getOrder(merchantId, orderId);
    if (!order) throw new AppError('RESOURCE_NOT_FOUND', `Order ${orderId} not found`, { fields: [{ field_name: 'order_id', reason: 'no such order for this merchant' }] });
    return order;
  }

  async function statusOf(order: Order, options: { fullGatewayResponse?: boolean } = {}): Promise<Record<string, unknown>> {
    const [txns, refunds] = await Promise.all([store.listTxns(order.id), store.listRefunds(order.id)]);
    return orderStatusView(order, txns, refunds, { publicBaseUrl, includeFullGatewayResponse: options.fullGatewayResponse });
  }

  return { ...deps, now, log, view, targetOf, emit, requireOrder, statusOf };
}

export type PaymentContext = ReturnType<typeof createPaymentContext>;
