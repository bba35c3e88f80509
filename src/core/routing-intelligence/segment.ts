// The scoring segment of a payment: from a routing payment (decision) and from a stored attempt
// (feedback). Both read the same facts so a decision and its outcome land on the same arms.
import type { RoutingPayment } from '../../routing/index.ts';
import type { Segment } from '../../routing/scoring/index.ts';
import type { Txn } from '../payments/types.ts';

export function segmentOfRequest(request: RoutingPayment): Segment {
  return {
    paymentMethodType: request.paymentMethodType,
    paymentMethod: request.paymentMethod || null,
    cardBrand: request.card?.brand ?? null,
    cardType: request.card?.type ?? null,
    issuer: request.card?.issuer ?? null,
    currency: request.currency,
    authType: request.authType,
    amountMinor: request.amount,
  };
}

export function segmentOfTxn(txn: Pick<Txn, 'paymentMethodType' | 'paymentMethod' | 'card' | 'currency' | 'authType' | 'amount'>): Segment {
  return {
    paymentMethodType: txn.paymentMethodType,
    paymentMethod: txn.paymentMethod || null,
    cardBrand: txn.card?.card_brand ?? null,
    cardType: txn.card?.card_type ?? null,
    issuer: txn.card?.card_issuer ?? null,
    currency: txn.currency,
    authType: txn.authType,
    amountMinor: txn.amount,
  };
}

/** The segment as it appears in decision records and API answers (snake_case, nulls dropped). */
export function segmentToWire(segment: Segment): Record<string, string | number> {
  const out: Record<string, string | number> = { payment_method_type: segment.paymentMethodType };
  if (segment.paymentMethod) out.payment_method = segment.paymentMethod;
  if (segment.cardBrand) out.card_brand = segment.cardBrand;
  if (segment.cardType) out.card_type = segment.cardType;
  if (segment.issuer) out.issuer = segment.issuer;
  if (segment.currency) out.currency = segment.currency;
  if (segment.authType) out.auth_type = segment.authType;
  if (segment.amountMinor !== undefined) out.amount = segment.amountMinor;
  return out;
}
