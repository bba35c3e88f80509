// GET /merchants/{id}/paymentmethods and POST /session.
import { accountIneligibility } from '../../routing/index.ts';
import { AppError } from '../errors.ts';
import { randomToken } from '../crypto.ts';
import { NETBANKING_BANKS, WALLETS } from '../payment-methods.ts';
import type { FlatBody } from './input.ts';
import type { MerchantDirectory, PaymentService } from './payment-service.ts';

const METHODS_BY_TYPE: Record<string, Array<{ payment_method: string; description: string }>> = {
  CARD: [
    { payment_method: 'VISA', description: 'Visa' },
    { payment_method: 'MASTERCARD', description: 'Mastercard' },
    { payment_method: 'AMEX', description: 'American Express' },
    { payment_method: 'RUPAY', description: 'RuPay' },
    { payment_method: 'MAESTRO', description: 'Maestro' },
    { payment_method: 'DINERS', description: 'Diners Club' },
  ],
  // The same lists POST /txns accepts: a bank or wallet listed here is one a transaction may name.
  NB: Object.entries(NETBANKING_BANKS).map(([code, name]) => ({ payment_method: code, description: name })),
  UPI: [{ payment_method: 'UPI', description: 'UPI (collect and intent)' }],
  WALLET: Object.entries(WALLETS).map(([code, name]) => ({ payment_method: code, description: name })),
};

export function createPaymentMethodsView(directory: Pick<MerchantDirectory, 'routingCandidates'>) {
  return async (merchantId: string, options: { addOutage: boolean }): Promise<Record<string, unknown>> => {
    const accounts = (await directory.routingCandidates(merchantId)).filter((a) => a.enabled);
    const list: Array<Record<string, unknown>> = [];
    for (const [type, methods] of Object.entries(METHODS_BY_TYPE)) {
      for (const method of methods) {
        // Routing's own eligibility (one rule, one case rule); the currency is not known here.
        const facts = { paymentMethodType: type, paymentMethod: method.payment_method, currency: '', card: type === 'CARD' ? { brand: method.payment_method } : null };
        const gateways = accounts.filter((a) => accountIneligibility(a, facts) === null);
        if (gateways.length === 0) continue;
        list.push({
          payment_method_type: type,
          payment_method: method.payment_method,
          description: method.description,
          supported_gateways: gateways.map((g) => ({ gateway: g.gateway, gateway_id: g.gatewayId, gateway_reference_id: g.gatewayReferenceId })),
        });
      }
    }
    return { merchant_id: merchantId, payment_methods: list, ...(options.addOutage ? { outage: [] } : {}) };
  };
}

export function createSessionHandler(payments: PaymentService, publicBaseUrl: string) {
  return async (merchantId: string, body: FlatBody): Promise<Record<string, unknown>> => {
    const order = await payments.createOrder(merchantId, body);
    if (order.status !== 'NEW' && order.status !== undefined && typeof order.status === 'string' && ['CHARGED', 'AUTHORIZED'].includes(order.status)) {
      throw new AppError('INVALID_ACTION', `Order ${String(order.order_id)} is already ${order.status}`, { fields: [{ field_name: 'order_id', reason: `order is ${order.status}` }] });
    }
    const links = order.payment_links as Record<string, string>;
    const clientAuthToken = `tkn_${randomToken(24)}`;
    return {
      status: order.status,
      id: order.id,
      order_id: order.order_id,
      payment_links: links,
      sdk_payload: {
        requestId: randomToken(12),
        service: 'in.juspay.hyperpay',
        payload: {
          clientId: body.payment_page_client_id ?? merchantId,
          amount: String(order.amount),
          merchantId,
          clientAuthToken,
          clientAuthTokenExpiry: new Date(Date.now() + 15 * 60_000).toISOString(),
          environment: 'sandbox',
          action: body.action ?? 'paymentPage',
          customerId: body.customer_id ?? null,
          returnUrl: body.return_url ?? null,
          currency: order.currency,
          orderId: order.order_id,
          baseUrl: publicBaseUrl,
        },
      },
    };
  };
}
