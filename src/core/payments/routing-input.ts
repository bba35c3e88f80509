// The routing engine's input for one attempt: the payment as the engine reads it, and the
// merchant's accounts.
import type { RoutingAccount, RoutingInput } from '../ports/router.ts';
import type { CardInput, PaymentInput } from './payment-input.ts';
import type { Order } from './types.ts';

export interface RoutingInputOf {
  order: Order;
  payment: PaymentInput;
  card: CardInput | null;
  /** The id the attempt will have (the routing record names it). */
  txnId: string;
  /** The gateway the order asks for (its gateway_id), by name. */
  preferredGateway: string | null;
  gateways: readonly RoutingAccount[];
  nowMillis: number;
}

export function routingInput({ order, payment, card, txnId, preferredGateway, gateways, nowMillis }: RoutingInputOf): RoutingInput {
  const billingCountry = order.billingAddress.country ?? null;
  return {
    merchantId: order.merchantId,
    orderId: order.orderId,
    txnId,
    amount: order.amount,
    currency: order.currency,
    paymentMethodType: payment.paymentMethodType,
    paymentMethod: payment.paymentMethod || null,
    authType: payment.authType,
    card: card ? { bin: card.bin, extendedBin: card.extendedBin || null, brand: card.brand, type: card.type, subType: card.subType, issuer: card.issuer, issuerCountry: card.issuerCountry } : null,
    upi: payment.upi ? { txnType: payment.upi.txnType, app: payment.upi.app } : null,
    wallet: payment.wallet?.name ?? null,
    bank: payment.bank,
    emi: payment.isEmi ? { isEmi: true, bank: payment.emiBank, tenure: payment.emiTenure } : null,
    customerId: order.customerId,
    productId: order.productId,
    description: order.description,
    udf: order.udf,
    metadata: order.metadata,
    billingCountry,
    shippingCountry: order.shippingAddress.country ?? null,
    isDomestic: card?.issuerCountry && billingCountry ? card.issuerCountry === billingCountry : null,
    preferredGateway,
    preferredReferenceId: order.metadata['JUSPAY:gateway_reference_id'] ?? null,
    platform: null,
    addToLocker: payment.saveToLocker,
    nowMillis,
    gateways,
  };
}
