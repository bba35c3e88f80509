// A payment made of classes (value-classes.ts): a plain payment, and each dimension's class value
// written into it, card fields after the card's BIN. The analysis runs the engine's own interpreter on
// these payments, so what it says a class matches is what routing does.
import type { GatewayAccount, RoutingPayment } from '../types.ts';
import type { ClassSpace, ClassValue } from './value-classes.ts';

/** A plain payment every class choice is written onto: a card payment's fields all absent. */
export function basePayment(accounts: readonly GatewayAccount[] = []): RoutingPayment {
  return {
    merchantId: 'analysis',
    orderId: 'analysis',
    txnId: 'analysis',
    amount: 100_00,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: null,
    authType: null,
    card: null,
    upi: null,
    wallet: null,
    bank: null,
    emi: null,
    customerId: null,
    productId: null,
    description: null,
    udf: {},
    metadata: {},
    billingCountry: null,
    shippingCountry: null,
    isDomestic: null,
    preferredGateway: null,
    platform: null,
    addToLocker: false,
    nowMillis: 0,
    gateways: accounts,
  };
}

/** Writes one class value of a dimension into a payment (mutates it). */
export function writeValue(p: RoutingPayment, dimension: string, value: ClassValue): void {
  const text = value === null ? null : String(value);
  const card = (): NonNullable<RoutingPayment['card']> => {
    if (!p.card) p.card = { bin: '411111', extendedBin: null, brand: null, type: null, subType: null, issuer: null, issuerCountry: null };
    return p.card;
  };
  switch (dimension) {
    case 'payment_method_type':
      p.paymentMethodType = text ?? 'CARD';
      return;
    case 'payment_method':
      p.paymentMethod = text;
      return;
    case 'card_bin':
      if (value === null || typeof value !== 'object') p.card = null;
      else Object.assign(card(), value);
      return;
    // A card field of a payment without a card stays absent (the universe keeps them consistent).
    case 'card_brand':
      if (p.card) p.card.brand = text;
      return;
    case 'card_type':
      if (p.card) p.card.type = text;
      return;
    case 'card_sub_type':
      if (p.card) p.card.subType = text;
      return;
    case 'card_issuer':
      if (p.card) p.card.issuer = text;
      return;
    case 'card_issuer_country':
      if (p.card) p.card.issuerCountry = text;
      return;
    case 'amount':
      p.amount = value as number;
      return;
    case 'currency':
      p.currency = text ?? 'INR';
      return;
    case 'billing_country':
      p.billingCountry = text;
      return;
    case 'shipping_country':
      p.shippingCountry = text;
      return;
    case 'auth_type':
      p.authType = text;
      return;
    case 'customer_id':
      p.customerId = text;
      return;
    case 'product_id':
      p.productId = text;
      return;
    case 'upi_app':
      p.upi = { txnType: p.upi?.txnType ?? null, app: text };
      return;
    case 'upi_txn_type':
      p.upi = { txnType: text, app: p.upi?.app ?? null };
      return;
    case 'wallet':
      p.wallet = text;
      return;
    case 'bank':
      p.bank = text;
      return;
    case 'emi':
      p.emi = { isEmi: value === true, bank: p.emi?.bank ?? null, tenure: p.emi?.tenure ?? null };
      return;
    case 'emi_bank':
      p.emi = { isEmi: p.emi?.isEmi ?? false, bank: text, tenure: p.emi?.tenure ?? null };
      return;
    case 'emi_tenure':
      p.emi = { isEmi: p.emi?.isEmi ?? false, bank: p.emi?.bank ?? null, tenure: value as number | null };
      return;
    case 'time_of_day':
      p.nowMillis = (value as number) * 60_000;
      return;
    case 'platform':
      p.platform = text;
      return;
    case 'is_domestic':
      p.isDomestic = value as boolean | null;
      return;
    case 'add_to_locker':
      p.addToLocker = value === true;
      return;
  }
  if (/^udf([1-9]|10)$/.test(dimension)) {
    p.udf = { ...p.udf, [dimension]: text };
    return;
  }
  if (dimension.startsWith('metadata.')) {
    const key = dimension.slice('metadata.'.length);
    const metadata = { ...p.metadata };
    if (text === null) delete metadata[key];
    else metadata[key] = text;
    p.metadata = metadata;
  }
}

/** Card fields are written after card_bin, whatever the dimensions' order. */
export function writeOrder(space: ClassSpace): number[] {
  const order = space.dimensions.map((_, i) => i);
  const first = space.index.get('card_bin');
  return first === undefined ? order : [first, ...order.filter((i) => i !== first)];
}
