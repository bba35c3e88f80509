// What the risk checks see of an attempt, built from the order, the payment and the optional
// shopper fields of the transaction call (client_ip, device_id, ip_country). Those fields are read
// only for merchants who run risk checks: nothing changes for the others.
import { invalidField } from '../errors.ts';
import { parseIp } from '../../risk/ip.ts';
import type { RiskContext } from '../../risk/types.ts';
import { type FlatBody, readString } from './input.ts';
import type { CardInput, PaymentInput } from './payment-input.ts';
import type { Order } from './types.ts';

export interface RiskFields {
  clientIp: string | null;
  deviceId: string | null;
  ipCountry: string | null;
}

export function readRiskFields(body: FlatBody): RiskFields {
  const clientIp = readString(body, 'client_ip', { max: 64 });
  if (clientIp && !parseIp(clientIp)) throw invalidField('client_ip', 'is not an IPv4 or IPv6 address');
  const deviceId = readString(body, 'device_id', { max: 128 });
  const ipCountry = readString(body, 'ip_country', { max: 2, pattern: /^[A-Za-z]{2}$/, patternReason: 'must be an ISO 3166 two-letter country code' });
  return { clientIp, deviceId, ipCountry: ipCountry?.toUpperCase() ?? null };
}

export function riskContextOf(order: Order, payment: PaymentInput, card: CardInput | null, fingerprint: string | null, fields: RiskFields, nowMillis: number): RiskContext {
  return {
    merchantId: order.merchantId,
    orderId: order.orderId,
    amount: order.amount,
    currency: order.currency,
    paymentMethodType: payment.paymentMethodType,
    paymentMethod: payment.paymentMethod || null,
    card: card ? { fingerprint, bin: card.bin, extendedBin: card.extendedBin || null, brand: card.brand, type: card.type, issuer: card.issuer, issuerCountry: card.issuerCountry } : null,
    email: order.customerEmail,
    customerId: order.customerId,
    clientIp: fields.clientIp,
    deviceId: fields.deviceId,
    billingCountry: order.billingAddress.country ?? null,
    ipCountry: fields.ipCountry,
    metadata: order.metadata,
    udf: order.udf,
    nowMillis,
  };
}
