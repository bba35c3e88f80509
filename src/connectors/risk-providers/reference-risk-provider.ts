// The client of the reference risk provider (emulators/risk-provider): an external fraud service
// behind Junction's RiskProvider port. The payment is sent without card data beyond the BIN,
// issuer country and the keyed fingerprint; the deadline is the risk service's (per merchant).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RiskWebhookSignatureError, type RiskProvider, type RiskVerdict } from '../../risk/provider.ts';
import type { RiskContext } from '../../risk/types.ts';

export interface ReferenceRiskProviderOptions {
  id?: string;
  baseUrl: string;
  apiKey: string;
  /** Verifies the provider's webhooks (x-risk-signature: hex HMAC-SHA256 of the raw body). */
  webhookSecret?: string;
}

const DECISIONS: Record<string, RiskVerdict['decision']> = { ACCEPT: 'allow', REVIEW: 'review', DECLINE: 'block' };

function verdictOf(status: number, body: unknown): RiskVerdict {
  if (status !== 200 || typeof body !== 'object' || body === null) throw new Error(`risk provider answered HTTP ${status}`);
  const b = body as { id?: unknown; decision?: unknown; score?: unknown; reasons?: unknown };
  const decision = typeof b.decision === 'string' ? DECISIONS[b.decision] : undefined;
  if (!decision) throw new Error(`risk provider answered an unknown decision ${JSON.stringify(b.decision)}`);
  return {
    decision,
    ...(typeof b.score === 'number' ? { score: Math.max(0, Math.min(100, Math.round(b.score))) } : {}),
    reasons: Array.isArray(b.reasons) ? b.reasons.filter((r): r is string => typeof r === 'string').slice(0, 10) : [],
    ...(typeof b.id === 'string' ? { ref: b.id } : {}),
  };
}

export function createReferenceRiskProvider(options: ReferenceRiskProviderOptions): RiskProvider {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  const call = async (path: string, payload: unknown): Promise<RiskVerdict> => {
    const response = await fetch(`${options.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(payload) });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`risk provider answered HTTP ${response.status} with a body that is not JSON`);
    }
    return verdictOf(response.status, body);
  };
  return {
    id: options.id ?? 'reference',
    preAuth: (ctx: RiskContext) =>
      call('/v1/assessments', {
        merchant_id: ctx.merchantId,
        order_id: ctx.orderId,
        amount: ctx.amount,
        currency: ctx.currency,
        payment_method_type: ctx.paymentMethodType,
        email: ctx.email,
        customer_id: ctx.customerId,
        client_ip: ctx.clientIp,
        device_id: ctx.deviceId,
        billing_country: ctx.billingCountry,
        ip_country: ctx.ipCountry,
        card: ctx.card ? { bin: ctx.card.bin, issuer_country: ctx.card.issuerCountry, fingerprint: ctx.card.fingerprint } : null,
      }),
    parseWebhook: (headers, rawBody) => {
      if (!options.webhookSecret) throw new RiskWebhookSignatureError('no webhook secret is configured for this provider');
      const given = headers['x-risk-signature'];
      const expected = createHmac('sha256', options.webhookSecret).update(rawBody).digest('hex');
      if (typeof given !== 'string' || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw new RiskWebhookSignatureError();
      const body = JSON.parse(rawBody) as { type?: unknown; merchant_id?: unknown; order_id?: unknown };
      if (body.type !== 'assessment.updated' || typeof body.merchant_id !== 'string' || typeof body.order_id !== 'string') return null;
      return { merchantId: body.merchant_id, orderId: body.order_id, verdict: verdictOf(200, body) };
    },
    postAuth: (ctx, auth) => call(`/v1/assessments/${encodeURIComponent(ctx.orderId)}/post-auth`, { status: auth.status, gateway_txn_id: auth.gatewayTxnId }),
  };
}
