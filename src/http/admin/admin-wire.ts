// The admin API's wire shapes (snake_case, credentials masked) and the converters from the merchant
// service's types; the admin CLI (src/cli/admin-commands.ts) prints the same shapes.
import { Type, type Static } from 'typebox';
import type { ApiKeyInfo, GatewayAccount, Merchant, RotatedSigningKey, SigningKeys } from '../../core/merchants/types.ts';

const StringMap = Type.Record(Type.String(), Type.String());
const NumberMap = Type.Record(Type.String(), Type.Number());
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const MerchantBody = Type.Object({
  merchant_id: Type.String({ examples: ['acme_store'] }),
  name: Type.String(),
  webhook: Type.Object({
    url: Nullable(Type.String()),
    username: Nullable(Type.String()),
    has_password: Type.Boolean(),
    custom_headers: StringMap,
    version: Nullable(Type.String()),
  }),
  created: Type.String(),
  updated: Type.String(),
});

export const ApiKeyBody = Type.Object({
  id: Type.String(),
  prefix: Type.String(),
  label: Nullable(Type.String()),
  created: Type.String(),
  last_used: Nullable(Type.String()),
  revoked: Type.Boolean(),
  revoked_at: Nullable(Type.String()),
});

export const CreatedKeyBody = Type.Object({
  id: Type.String(),
  key: Type.String({ description: 'The API key: shown once, never again' }),
  prefix: Type.String(),
});

export const GatewayAccountBody = Type.Object({
  id: Type.String(),
  merchant_id: Type.String(),
  gateway: Type.String(),
  gateway_id: Type.Integer(),
  gateway_reference_id: Nullable(Type.String()),
  credentials: Type.Record(Type.String(), Type.String(), { description: 'Credential names with masked values' }),
  payment_method_types: Type.Array(Type.String()),
  payment_methods: Type.Array(Type.String()),
  card_brands: Type.Array(Type.String()),
  currencies: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  priority: Type.Integer(),
  fees: NumberMap,
  created: Type.String(),
  updated: Type.String(),
});

export const MerchantListItem = Type.Object({ ...MerchantBody.properties, gateway_accounts: Type.Optional(Type.Array(GatewayAccountBody)) });
export const MerchantParams = Type.Object({ merchantId: Type.String() });
export const MerchantListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ description: 'merchants per page, 1-200 (default 50)' })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
    include_gateway_accounts: Type.Optional(Type.String({ description: 'true: each merchant with its gateway accounts (credentials masked)' })),
  },
  // Unknown parameters are refused by name in the handler (whatever the validator's removeAdditional).
  { additionalProperties: true },
);
export const MERCHANT_LIST_PARAMS = ['limit', 'cursor', 'include_gateway_accounts'];
export const KeyParams = Type.Object({ merchantId: Type.String(), keyId: Type.String() });
export const AccountParams = Type.Object({ merchantId: Type.String(), accountId: Type.String() });

export const CreateMerchantRequest = Type.Object({
  merchant_id: Type.Optional(Type.String({ description: '3 to 32 letters, digits or underscores; generated when absent' })),
  name: Type.String(),
  webhook_url: Type.Optional(Type.String()),
  webhook_username: Type.Optional(Type.String()),
  webhook_password: Type.Optional(Type.String()),
  webhook_custom_headers: Type.Optional(StringMap),
  webhook_version: Type.Optional(Type.String()),
});

export const WebhookPatchRequest = Type.Object({
  url: Type.Optional(Nullable(Type.String())),
  username: Type.Optional(Nullable(Type.String())),
  password: Type.Optional(Nullable(Type.String())),
  custom_headers: Type.Optional(StringMap),
  version: Type.Optional(Nullable(Type.String())),
  rotate_hmac_key: Type.Optional(Type.Boolean()),
});

export const CreateKeyRequest = Type.Object({ label: Type.Optional(Type.String()) });

const StringList = Type.Array(Type.String());
const GatewayAccountFields = {
  gateway_reference_id: Type.Optional(Nullable(Type.String())),
  credentials: Type.Optional(StringMap),
  payment_method_types: Type.Optional(StringList),
  payment_methods: Type.Optional(StringList),
  card_brands: Type.Optional(StringList),
  currencies: Type.Optional(StringList),
  enabled: Type.Optional(Type.Boolean()),
  priority: Type.Optional(Type.Integer()),
  fees: Type.Optional(NumberMap),
};
export const CreateAccountRequest = Type.Object({ gateway: Type.String({ examples: ['SIM_ALPHA'] }), ...GatewayAccountFields });
export const PatchAccountRequest = Type.Object(GatewayAccountFields);

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function merchantToWire(m: Merchant): Static<typeof MerchantBody> {
  return {
    merchant_id: m.id,
    name: m.name,
    webhook: { url: m.webhookUrl, username: m.webhookUsername, has_password: m.hasWebhookPassword, custom_headers: m.webhookCustomHeaders, version: m.webhookVersion },
    created: m.createdAt.toISOString(),
    updated: m.updatedAt.toISOString(),
  };
}

export function apiKeyToWire(k: ApiKeyInfo): Static<typeof ApiKeyBody> {
  return { id: k.id, prefix: k.prefix, label: k.label, created: k.createdAt.toISOString(), last_used: iso(k.lastUsedAt), revoked: k.revokedAt !== null, revoked_at: iso(k.revokedAt) };
}

/**
 * A gateway account as the admin API and CLI show it: credentials masked, no health or simulator
 * view (the dashboard's gatewayAccountToDashboardWire in http/dashboard/wire.ts adds those).
 */
export function gatewayAccountToAdminWire(a: GatewayAccount): Static<typeof GatewayAccountBody> {
  return {
    id: a.id,
    merchant_id: a.merchantId,
    gateway: a.gateway,
    gateway_id: a.gatewayId,
    gateway_reference_id: a.gatewayReferenceId,
    credentials: a.maskedCredentials,
    payment_method_types: a.paymentMethodTypes,
    payment_methods: a.paymentMethods,
    card_brands: a.cardBrands,
    currencies: a.currencies,
    enabled: a.enabled,
    priority: a.priority,
    fees: a.fees,
    created: a.createdAt.toISOString(),
    updated: a.updatedAt.toISOString(),
  };
}

// Signing keys (response key, webhook HMAC key): shown and rotated with the admin key only; see
// docs/webhooks.md for why a merchant's API key cannot read them.
const ResponseKeyField = Type.String({ description: 'HMAC-SHA256 key of the return-URL `signature` parameter' });
const WebhookKeyField = Type.String({ description: 'HMAC-SHA256 key of the `x-junction-signature` webhook header' });
export const SigningKeysBody = Type.Object({ merchant_id: Type.String(), response_key: ResponseKeyField, webhook_hmac_key: WebhookKeyField });
export const RotatedResponseKeyBody = Type.Object({ merchant_id: Type.String(), response_key: ResponseKeyField });
export const RotatedWebhookKeyBody = Type.Object({ merchant_id: Type.String(), webhook_hmac_key: WebhookKeyField });

export function signingKeysToWire(merchantId: string, keys: SigningKeys): Static<typeof SigningKeysBody> {
  return { merchant_id: merchantId, response_key: keys.responseKey, webhook_hmac_key: keys.webhookHmacKey };
}

export function rotatedKeyToWire(merchantId: string, rotated: RotatedSigningKey): { merchant_id: string; response_key?: string; webhook_hmac_key?: string } {
  return { merchant_id: merchantId, [rotated.key]: rotated.value };
}

const ErrorBody = Type.Object({ status: Type.String(), error_code: Type.String(), error_message: Type.String(), error_info: Type.Object({}, { additionalProperties: true }) });
export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
export const security = [{ adminBearer: [] }];

export type AccountFieldsWire = Static<typeof PatchAccountRequest>;

/** The optional gateway account fields of a create or patch request, in the service's names. */
export function accountFields(b: AccountFieldsWire) {
  return {
    ...(b.gateway_reference_id !== undefined ? { gatewayReferenceId: b.gateway_reference_id } : {}),
    ...(b.payment_method_types !== undefined ? { paymentMethodTypes: b.payment_method_types } : {}),
    ...(b.payment_methods !== undefined ? { paymentMethods: b.payment_methods } : {}),
    ...(b.card_brands !== undefined ? { cardBrands: b.card_brands } : {}),
    ...(b.currencies !== undefined ? { currencies: b.currencies } : {}),
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
    ...(b.fees !== undefined ? { fees: b.fees } : {}),
  };
}
