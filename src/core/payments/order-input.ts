// Parsing order create and update requests.
import { gatewayNameOf } from '../gateways.ts';
import { invalidField } from '../errors.ts';
import { parseAmount, parseCurrency } from '../money.ts';
import type { Address, MerchantOrderField, Order } from './types.ts';
import { type FlatBody, ORDER_ID_PATTERN, URL_PATTERN, readBoolean, readInteger, readPrefixed, readString, requireString } from './input.ts';

/** What an order create request sets of an order (the rest is the service's), and whether it asks for a client auth token. */
export type OrderInput = Pick<Order, 'orderId' | 'amount' | 'currency' | MerchantOrderField> & {
  wantsClientAuthToken: boolean;
};

const ADDRESS_FIELDS = ['first_name', 'last_name', 'line1', 'line2', 'line3', 'city', 'state', 'country', 'postal_code', 'phone', 'country_code_iso'] as const;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9 -]{4,20}$/;

export function parseOrderId(body: FlatBody, key = 'order_id'): string {
  return requireString(body, key, { max: 20, pattern: ORDER_ID_PATTERN, patternReason: 'must be alphanumeric (letters, digits, - and _), under 21 characters' });
}

function parseAddress(body: FlatBody, prefix: 'billing_address' | 'shipping_address'): Address {
  const address: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = readString(body, `${prefix}_${field}`, { max: field.startsWith('line') ? 255 : 100 });
    if (value !== null) address[field] = value;
  }
  if (address.country_code_iso && !/^[A-Za-z]{2,3}$/.test(address.country_code_iso)) {
    throw invalidField(`${prefix}_country_code_iso`, 'must be an ISO country code');
  }
  return address;
}

function parseUdf(body: FlatBody): Record<string, string> {
  const udf: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) {
    const value = readString(body, `udf${i}`, { max: 255 });
    if (value !== null) udf[`udf${i}`] = value;
  }
  return udf;
}

function parseMetadata(body: FlatBody): Record<string, string> {
  const metadata = readPrefixed(body, 'metadata');
  if (metadata.webhook_url !== undefined && !URL_PATTERN.test(metadata.webhook_url)) {
    throw invalidField('metadata.webhook_url', 'must be an http(s) URL');
  }
  const autoCapture = metadata['txns.auto_capture'];
  if (autoCapture !== undefined && autoCapture !== 'true' && autoCapture !== 'false') {
    throw invalidField('metadata.txns.auto_capture', 'must be true or false');
  }
  return metadata;
}

function parseGatewayId(body: FlatBody): number | null {
  const id = readInteger(body, 'gateway_id', { min: 1, max: 100000 });
  if (id !== null && !gatewayNameOf(id)) throw invalidField('gateway_id', 'is not a known gateway id (see docs/gateways.md)');
  return id;
}

function common(body: FlatBody) {
  const customerEmail = readString(body, 'customer_email', { max: 254, pattern: EMAIL_PATTERN, patternReason: 'must be an email address' });
  const customerPhone = readString(body, 'customer_phone', { max: 20, pattern: PHONE_PATTERN, patternReason: 'must be a phone number' });
  const returnUrl = readString(body, 'return_url', { max: 2048, pattern: URL_PATTERN, patternReason: 'must be an http(s) URL' });
  return {
    customerId: readString(body, 'customer_id', { max: 128 }),
    customerEmail,
    customerPhone,
    description: readString(body, 'description', { max: 1024 }),
    productId: readString(body, 'product_id', { max: 128 }),
    returnUrl,
    gatewayId: parseGatewayId(body),
    billingAddress: parseAddress(body, 'billing_address'),
    shippingAddress: parseAddress(body, 'shipping_address'),
    udf: parseUdf(body),
    metadata: parseMetadata(body),
  };
}

export function parseOrderCreate(body: FlatBody): OrderInput {
  const orderId = parseOrderId(body);
  const currency = body.currency ? parseCurrency(body.currency) : 'INR';
  if (body.amount === undefined || body.amount === '') throw invalidField('amount', 'is required');
  const amount = parseAmount(body.amount, currency);
  return {
    orderId,
    amount,
    currency,
    ...common(body),
    wantsClientAuthToken: readBoolean(body, 'options.get_client_auth_token') ?? false,
  };
}

export type OrderUpdateInput = Partial<Omit<OrderInput, 'orderId' | 'currency' | 'wantsClientAuthToken'>>;

/** Only the fields present in the body are updated. */
export function parseOrderUpdate(body: FlatBody, currency: string): OrderUpdateInput {
  const parsed = common(body);
  const update: OrderUpdateInput = {};
  if (body.amount !== undefined) update.amount = parseAmount(body.amount, currency);
  if (body.currency !== undefined && parseCurrency(body.currency) !== currency) throw invalidField('currency', 'cannot be changed after the order is created');
  if (body.customer_id !== undefined) update.customerId = parsed.customerId;
  if (body.customer_email !== undefined) update.customerEmail = parsed.customerEmail;
  if (body.customer_phone !== undefined) update.customerPhone = parsed.customerPhone;
  if (body.description !== undefined) update.description = parsed.description;
  if (body.product_id !== undefined) update.productId = parsed.productId;
  if (body.return_url !== undefined) update.returnUrl = parsed.returnUrl;
  if (body.gateway_id !== undefined) update.gatewayId = parsed.gatewayId;
  if (Object.keys(parsed.billingAddress).length) update.billingAddress = parsed.billingAddress;
  if (Object.keys(parsed.shippingAddress).length) update.shippingAddress = parsed.shippingAddress;
  if (Object.keys(parsed.udf).length) update.udf = parsed.udf;
  if (Object.keys(parsed.metadata).length) update.metadata = parsed.metadata;
  return update;
}
