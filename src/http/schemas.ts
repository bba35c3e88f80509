// Schemas shared by the merchant API routes. Bodies of the EC API are loose (form-encoded
// strings, dotted keys), so schemas check types and declare the documented fields; the core
// parsers check meaning and name the field on failure.
import { Type, type TSchema } from 'typebox';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Amount = Type.Union([Type.String({ description: 'Decimal amount, at most 2 decimals, e.g. "100.50"' }), Type.Number()]);

export function looseObject(properties: Record<string, TSchema>, required: string[] = [], description?: string): TSchema {
  const props: Record<string, TSchema> = {};
  for (const [key, schema] of Object.entries(properties)) props[key] = required.includes(key) ? schema : Type.Optional(schema);
  return Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) });
}

export const ErrorBody = Type.Object(
  {
    status: Type.String(),
    error_code: Type.String(),
    error_message: Type.String(),
    error_info: Type.Object({
      code: Type.String(),
      category: Type.String(),
      request_id: Type.String(),
      developer_message: Type.String(),
      user_message: Type.String(),
      href: Type.String(),
      fields: Type.Array(Type.Object({ field_name: Type.String(), reason: Type.String() })),
    }),
  },
  { $id: 'ErrorBody', description: 'Every API error has this shape' },
);

const orderFields: Record<string, TSchema> = {
  order_id: Type.String({ maxLength: 20, description: 'Your order id: letters, digits, - and _, under 21 characters' }),
  amount: Amount,
  currency: Type.String({ description: 'ISO 4217 code, default INR' }),
  customer_id: Scalar,
  customer_email: Scalar,
  customer_phone: Scalar,
  description: Scalar,
  product_id: Scalar,
  return_url: Type.String(),
  gateway_id: Scalar,
  'metadata.webhook_url': Type.String(),
  'metadata.JUSPAY:gateway_reference_id': Type.String(),
  'options.get_client_auth_token': Scalar,
};
for (let i = 1; i <= 10; i++) orderFields[`udf${i}`] = Scalar;

export const OrderCreateBody = looseObject(orderFields, ['order_id', 'amount'], 'Order create (form-encoded or JSON). Also billing_address_* / shipping_address_* and metadata.*');
export const OrderUpdateBody = looseObject({ ...orderFields, order_id: Scalar }, [], 'Fields to change; only before a transaction starts');

export const TxnBody = looseObject(
  {
    order_id: Type.String(),
    merchant_id: Type.String(),
    payment_method_type: Type.String({ description: 'CARD, NB, UPI or WALLET' }),
    payment_method: Type.String(),
    redirect_after_payment: Scalar,
    format: Type.String(),
    card_number: Scalar,
    card_exp_month: Scalar,
    card_exp_year: Scalar,
    name_on_card: Scalar,
    card_security_code: Scalar,
    save_to_locker: Scalar,
    tokenize: Scalar,
    card_token: Type.String(),
    auth_type: Type.String({ description: 'THREE_DS, OTP, MOTO, THREE_DS_2' }),
    txn_type: Type.String({ description: 'UPI_COLLECT or UPI_PAY' }),
    upi_vpa: Type.String(),
    upi_app: Type.String(),
    sdk_params: Scalar,
    direct_wallet_token: Type.String(),
    'order.order_id': Type.String(),
    'order.amount': Amount,
  },
  [],
  'A payment on an order. Carry order.* fields to create the order in the same call',
);

export const RefundBody = looseObject(
  { unique_request_id: Type.String({ maxLength: 64 }), amount: Amount, order_id: Type.String(), txn_id: Type.String() },
  [],
  'unique_request_id is required and makes the call idempotent; omit amount for a full refund',
);

export const CaptureBody = looseObject(
  { amount: Amount, idempotence_key: Type.String({ maxLength: 64 }) },
  [],
  'omit amount to capture the whole authorised amount; a smaller amount is a partial capture where the gateway takes one',
);

export const VoidBody = looseObject({ idempotence_key: Type.String({ maxLength: 64 }) }, [], 'voids (releases) an AUTHORIZED transaction');

export const CustomerBody = looseObject(
  {
    object_reference_id: Type.String({ maxLength: 128 }),
    mobile_number: Scalar,
    mobile_country_code: Scalar,
    email_address: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    'options.get_client_auth_token': Scalar,
  },
  [],
  'Customer; object_reference_id and mobile_number are required on create',
);

export const SessionBody = looseObject(
  { order_id: Type.String(), amount: Amount, customer_id: Type.String(), payment_page_client_id: Type.String(), action: Type.String(), return_url: Type.String() },
  ['order_id', 'amount'],
  'Creates the order (if new) and a payment page session',
);

// Loose on purpose: the core parser checks each parameter and names it (an unknown one included).
export const OrderListQuerySchema = Type.Object(
  {
    date_created_from: Type.Optional(Type.String({ description: 'orders created at or after: ISO-8601 with a zone, a date (UTC) or epoch seconds' })),
    date_created_to: Type.Optional(Type.String({ description: 'orders created before: ISO-8601 with a zone, a date (UTC) or epoch seconds' })),
    status: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'one or several order statuses: status=CHARGED,AUTHORIZED or status repeated' })),
    limit: Type.Optional(Type.String({ description: 'orders per page, 1-100 (default 20)' })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: true },
);

export const OrderIdParams = Type.Object({ order_id: Type.String({ maxLength: 64 }) });
export const AnyObject = Type.Object({}, { additionalProperties: true });
/** For routes that read no query parameter: declared, so the route schema audit sees it was thought of. */
export const NoQuery = Type.Object({}, { additionalProperties: true, description: 'No query parameters' });
/** For write routes that read no body. */
export const NoBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: true })], { description: 'No body is read' });
