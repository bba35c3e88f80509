// Validation of merchant-management input against the EC vocabularies. Field names are the
// admin API's wire names (snake_case), so the same errors read right from HTTP and the CLI.
import { isCurrency } from '../currencies.ts';
import { AppError, invalidField, missingField } from '../errors.ts';
import { GATEWAY_IDS, isGatewayName, type GatewayName } from '../gateways.ts';
import { CARD_BRANDS, PAYMENT_METHOD_TYPES, isCardBrand, isPaymentMethodType } from '../payment-methods.ts';
import type { GatewayAccountInput, GatewayAccountPatch, GatewayAccountSettings, GatewayFees } from './types.ts';

export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_]{3,32}$/;
const REFERENCE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const CREDENTIAL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const PAYMENT_METHOD_PATTERN = /^[A-Z0-9_]{1,64}$/;
const HEADER_NAME_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Headers the delivery sets itself: a merchant may not override them. */
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding']);

export function validateMerchantId(value: unknown): string {
  if (typeof value !== 'string' || !MERCHANT_ID_PATTERN.test(value)) {
    throw invalidField('merchant_id', 'must be 3 to 32 letters, digits or underscores');
  }
  return value;
}

export function validateName(value: unknown): string {
  if (value === undefined || value === null || value === '') throw missingField('name');
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 200) throw invalidField('name', 'must be 1 to 200 characters');
  return value.trim();
}

export function validateWebhookUrl(value: unknown, field = 'webhook_url'): string {
  if (typeof value !== 'string' || value.length > 2048) throw invalidField(field, 'must be an http or https URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField(field, 'must be an http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidField(field, 'must be an http or https URL');
  return url.toString();
}

export function validateOptionalText(value: unknown, field: string, max = 256): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw invalidField(field, `must be 1 to ${max} characters`);
  return value;
}

export function validateWebhookVersion(value: unknown, field = 'webhook_version'): string {
  if (typeof value !== 'string' || !VERSION_PATTERN.test(value)) throw invalidField(field, 'must be a date such as 2023-06-30');
  return value;
}

export function validateCustomHeaders(value: unknown, field = 'webhook_custom_headers'): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField(field, 'must be an object of header names to strings');
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME_PATTERN.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) throw invalidField(`${field}.${name}`, 'is not an allowed header name');
    if (typeof headerValue !== 'string' || /[\r\n]/.test(headerValue) || headerValue.length > 1024) throw invalidField(`${field}.${name}`, 'must be a single-line string');
    headers[name] = headerValue;
  }
  return headers;
}

/** A fixed API key (demo, scripts): printable, no spaces or colons (it travels as a Basic-auth user name). */
export function validateFixedApiKey(value: unknown, field = 'key'): string {
  if (typeof value !== 'string' || !/^[\x21-\x39\x3b-\x7e]{8,128}$/.test(value)) {
    throw invalidField(field, 'must be 8 to 128 printable characters without spaces or colons');
  }
  return value;
}

export function validateLabel(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return validateOptionalText(value, 'label', 100);
}

function validateGateway(value: unknown): GatewayName {
  if (value === undefined || value === null || value === '') throw missingField('gateway');
  const name = typeof value === 'string' ? value.toUpperCase() : '';
  if (!isGatewayName(name)) throw invalidField('gateway', `unknown gateway; one of ${Object.keys(GATEWAY_IDS).join(', ')}`);
  return name;
}

function validateReferenceId(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !REFERENCE_ID_PATTERN.test(value)) {
    throw invalidField('gateway_reference_id', 'must be 1 to 64 letters, digits or _ . : -');
  }
  return value;
}

function validateCredentials(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('credentials', 'must be an object of names to strings');
  const credentials: Record<string, string> = {};
  for (const [name, secret] of Object.entries(value)) {
    if (!CREDENTIAL_NAME_PATTERN.test(name)) throw invalidField(`credentials.${name}`, 'is not a valid credential name');
    if (typeof secret !== 'string' || secret.length > 8192) throw invalidField(`credentials.${name}`, 'must be a string');
    credentials[name] = secret;
  }
  return credentials;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw invalidField(field, 'must be a list of strings');
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') throw invalidField(field, 'must be a list of strings');
    const upper = item.trim().toUpperCase();
    if (!out.includes(upper)) out.push(upper);
  }
  return out;
}

function validatePaymentMethodTypes(value: unknown): string[] {
  const list = stringList(value, 'payment_method_types');
  const bad = list.find((t) => !isPaymentMethodType(t));
  if (bad !== undefined) throw invalidField('payment_method_types', `unknown payment method type ${bad}; one of ${PAYMENT_METHOD_TYPES.join(', ')}`);
  return list;
}

function validatePaymentMethods(value: unknown): string[] {
  const list = stringList(value, 'payment_methods');
  const bad = list.find((m) => !PAYMENT_METHOD_PATTERN.test(m));
  if (bad !== undefined) throw invalidField('payment_methods', `invalid payment method ${bad}: use names such as NB_ICICI, PAYTM, UPI`);
  return list;
}

function validateCardBrands(value: unknown): string[] {
  const list = stringList(value, 'card_brands');
  const bad = list.find((b) => !isCardBrand(b));
  if (bad !== undefined) throw invalidField('card_brands', `unknown card brand ${bad}; one of ${CARD_BRANDS.join(', ')}`);
  return list;
}

function validateCurrencies(value: unknown): string[] {
  const list = stringList(value, 'currencies');
  const bad = list.find((c) => !/^[A-Z]{3}$/.test(c) || !isCurrency(c));
  if (bad !== undefined) throw invalidField('currencies', `${bad} is not an ISO 4217 currency code`);
  return list;
}

function validateEnabled(value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidField('enabled', 'must be true or false');
  return value;
}

function validatePriority(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) throw invalidField('priority', 'must be an integer from 0 to 1000000');
  return value;
}

function validateFees(value: unknown): GatewayFees {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('fees', 'must be an object of names to non-negative numbers');
  const fees: GatewayFees = {};
  for (const [name, amount] of Object.entries(value)) {
    if (!CREDENTIAL_NAME_PATTERN.test(name)) throw invalidField(`fees.${name}`, 'is not a valid fee name');
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw invalidField(`fees.${name}`, 'must be a non-negative number');
    fees[name] = amount;
  }
  return fees;
}

export interface ValidGatewayAccount extends GatewayAccountSettings {
  gateway: GatewayName;
  gatewayReferenceId: string | null;
  credentials: Record<string, string>;
}

export function validateGatewayAccountInput(input: GatewayAccountInput): ValidGatewayAccount {
  if (typeof input !== 'object' || input === null) throw new AppError('INVALID_INPUT', 'Gateway account must be an object');
  if (input.credentials === undefined) throw missingField('credentials');
  return {
    gateway: validateGateway(input.gateway),
    gatewayReferenceId: validateReferenceId(input.gatewayReferenceId),
    credentials: validateCredentials(input.credentials),
    paymentMethodTypes: input.paymentMethodTypes === undefined ? [] : validatePaymentMethodTypes(input.paymentMethodTypes),
    paymentMethods: input.paymentMethods === undefined ? [] : validatePaymentMethods(input.paymentMethods),
    cardBrands: input.cardBrands === undefined ? [] : validateCardBrands(input.cardBrands),
    currencies: input.currencies === undefined ? [] : validateCurrencies(input.currencies),
    enabled: input.enabled === undefined ? true : validateEnabled(input.enabled),
    priority: input.priority === undefined ? 100 : validatePriority(input.priority),
    fees: input.fees === undefined ? {} : validateFees(input.fees),
  };
}

export type ValidGatewayAccountPatch = Partial<Omit<ValidGatewayAccount, 'gateway'>>;

export function validateGatewayAccountPatch(patch: GatewayAccountPatch): ValidGatewayAccountPatch {
  if (typeof patch !== 'object' || patch === null) throw new AppError('INVALID_INPUT', 'Gateway account update must be an object');
  const out: ValidGatewayAccountPatch = {};
  if (patch.gatewayReferenceId !== undefined) out.gatewayReferenceId = validateReferenceId(patch.gatewayReferenceId);
  if (patch.credentials !== undefined) out.credentials = validateCredentials(patch.credentials);
  if (patch.paymentMethodTypes !== undefined) out.paymentMethodTypes = validatePaymentMethodTypes(patch.paymentMethodTypes);
  if (patch.paymentMethods !== undefined) out.paymentMethods = validatePaymentMethods(patch.paymentMethods);
  if (patch.cardBrands !== undefined) out.cardBrands = validateCardBrands(patch.cardBrands);
  if (patch.currencies !== undefined) out.currencies = validateCurrencies(patch.currencies);
  if (patch.enabled !== undefined) out.enabled = validateEnabled(patch.enabled);
  if (patch.priority !== undefined) out.priority = validatePriority(patch.priority);
  if (patch.fees !== undefined) out.fees = validateFees(patch.fees);
  return out;
}
