// The sample payment of a risk dry run, read from the request body.
import { invalidField } from '../errors.ts';
import { normaliseListValue } from '../../risk/lists.ts';
import { parseIp } from '../../risk/ip.ts';
import type { RiskContext } from '../../risk/types.ts';
import { str } from './risk-admin-input.ts';

/** A sample payment for a dry run (amount in minor units). */
export function dryRunContext(merchantId: string, body: unknown, nowMillis: number): RiskContext {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.amount !== 'number' || !Number.isInteger(b.amount) || b.amount < 0 || b.amount > 1e15) throw invalidField('amount', 'is required: an integer amount in minor units');
  const currency = str(b.currency, 'currency', 3);
  if (!currency || !/^[A-Za-z]{3}$/.test(currency)) throw invalidField('currency', 'is required: an ISO 4217 code');
  const bin = str(b.card_bin, 'card_bin', 8);
  if (bin && !/^(\d{6}|\d{8})$/.test(bin)) throw invalidField('card_bin', 'must be 6 or 8 digits');
  const fingerprint = str(b.card_fingerprint, 'card_fingerprint', 64);
  if (fingerprint && !normaliseListValue('card_fingerprint', fingerprint).ok) throw invalidField('card_fingerprint', 'is not a card fingerprint (never send a card number)');
  const ip = str(b.client_ip, 'client_ip', 64);
  if (ip && !parseIp(ip)) throw invalidField('client_ip', 'is not an IPv4 or IPv6 address');
  const country = (key: string) => {
    const v = str(b[key], key, 2);
    if (v && !/^[A-Za-z]{2}$/.test(v)) throw invalidField(key, 'must be an ISO 3166 two-letter country code');
    return v?.toUpperCase() ?? null;
  };
  const metadata = b.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string'))
    throw invalidField('metadata', 'must be an object of strings');
  const issuerCountry = country('card_issuer_country');
  return {
    merchantId,
    orderId: str(b.order_id, 'order_id', 64) ?? 'dry-run',
    amount: b.amount,
    currency: currency.toUpperCase(),
    paymentMethodType: (str(b.payment_method_type, 'payment_method_type', 30) ?? 'CARD').toUpperCase(),
    paymentMethod: str(b.payment_method, 'payment_method', 30),
    card:
      bin || fingerprint
        ? {
            fingerprint,
            bin: bin?.slice(0, 6) ?? '000000',
            extendedBin: bin && bin.length === 8 ? bin : null,
            brand: str(b.card_brand, 'card_brand', 30),
            type: str(b.card_type, 'card_type', 30),
            issuer: null,
            issuerCountry,
          }
        : null,
    email: str(b.email, 'email', 320),
    customerId: str(b.customer_id, 'customer_id', 128),
    clientIp: ip,
    deviceId: str(b.device_id, 'device_id', 128),
    billingCountry: country('billing_country'),
    ipCountry: country('ip_country'),
    metadata: metadata as Record<string, string>,
    udf: {},
    nowMillis,
  };
}
