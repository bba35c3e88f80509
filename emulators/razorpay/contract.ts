// The Razorpay emulator's contract. Razorpay publishes no OpenAPI document, so this is a JSON Schema
// (draft-07) written from Razorpay's public API reference and the official `razorpay` package's
// types, in ./contract/razorpay-api.schema.json; each definition's $comment names its page:
// - orders:   https://razorpay.com/docs/api/orders/create/ , https://razorpay.com/docs/api/orders/entity/
// - capture settings: https://razorpay.com/docs/payments/payments/capture-settings/api/
// - S2S payments: https://razorpay.com/docs/payments/payment-gateway/s2s-integration/json/v2/build-integration/cards/
//   (and .../netbanking/, .../upi/collect/, .../upi/intent/)
// - payments: https://razorpay.com/docs/api/payments/ , capture: https://razorpay.com/docs/api/payments/capture/
// - refunds:  https://razorpay.com/docs/api/refunds/ (X-Refund-Idempotency: .../normal-refunds-idempotent/)
// - errors:   https://razorpay.com/docs/errors/ , reasons: https://razorpay.com/docs/payments/payment-gateway/rainy-day/errors/error-reasons/
// Every request the emulator receives is checked against its request definition and every answer
// it gives against its response definition (Ajv, all errors, formats).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('./contract/razorpay-api.schema.json', import.meta.url)), 'utf8')) as { definitions: Record<string, unknown> };
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema(SCHEMA, 'razorpay');
const compiled = new Map<string, ValidateFunction>();

export type RazorpaySchemaName =
  | 'OrderCreateRequest'
  | 'PaymentCreateJsonRequest'
  | 'PaymentCreateUpiRequest'
  | 'CaptureRequest'
  | 'RefundRequest'
  | 'Order'
  | 'Payment'
  | 'Refund'
  | 'OrderCollection'
  | 'PaymentCollection'
  | 'RefundCollection'
  | 'PaymentCreatedJson'
  | 'PaymentCreatedUpi'
  | 'Error';

export const RAZORPAY_SCHEMA_NAMES: readonly RazorpaySchemaName[] = Object.keys(SCHEMA.definitions) as RazorpaySchemaName[];

export function razorpaySchema(name: RazorpaySchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    if (!(name in SCHEMA.definitions)) throw new Error(`Razorpay contract has no definition ${name}`);
    validate = ajv.compile({ $ref: `razorpay#/definitions/${name}` });
    compiled.set(name, validate);
  }
  return validate;
}

/** The first violation of a definition (field path and reason), or null. */
export function razorpayViolation(name: RazorpaySchemaName, value: unknown): { path: string; reason: string } | null {
  const validate = razorpaySchema(name);
  if (validate(value)) return null;
  const error = validate.errors?.find((e) => e.keyword !== 'if') ?? validate.errors?.[0];
  const missing = error?.keyword === 'required' ? `/${String((error.params as { missingProperty?: string }).missingProperty)}` : '';
  const extra = error?.keyword === 'additionalProperties' ? `/${String((error.params as { additionalProperty?: string }).additionalProperty)}` : '';
  return { path: `${error?.instancePath ?? ''}${missing}${extra}` || '/', reason: error?.message ?? 'does not match' };
}
