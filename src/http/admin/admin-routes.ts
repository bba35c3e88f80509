// The admin API (mounted at /admin/v1): merchants, API keys, webhook settings and gateway
// accounts. Guarded by one operator key (JUNCTION_ADMIN_KEY) sent as a Bearer token; without a
// configured key the whole API answers 403, so nothing is open by accident.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { bearerMatches } from '../auth/admin-auth.ts';
import type { ApiKeyInfo, GatewayAccount, Merchant, RotatedSigningKey, SigningKeys } from '../../core/merchants/types.ts';
import { NoQuery, NoBody } from '../schemas.ts';

export interface AdminRoutesDeps {
  merchants: MerchantService;
  adminApiKey: string | undefined;
  /** What each connector of this build declares: capabilities and the credentials an account needs. */
  connectors?: () => ReadonlyArray<object>;
  /** Per-gateway HTTP metrics of this instance's connector transport. */
  gatewayMetrics?: () => Record<string, object>;
}

const StringMap = Type.Record(Type.String(), Type.String());
const NumberMap = Type.Record(Type.String(), Type.Number());
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const MerchantBody = Type.Object({
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

const ApiKeyBody = Type.Object({
  id: Type.String(),
  prefix: Type.String(),
  label: Nullable(Type.String()),
  created: Type.String(),
  last_used: Nullable(Type.String()),
  revoked: Type.Boolean(),
  revoked_at: Nullable(Type.String()),
});

const CreatedKeyBody = Type.Object({
  id: Type.String(),
  key: Type.String({ description: 'The API key: shown once, never again' }),
  prefix: Type.String(),
});

const GatewayAccountBody = Type.Object({
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

const MerchantListItem = Type.Object({ ...MerchantBody.properties, gateway_accounts: Type.Optional(Type.Array(GatewayAccountBody)) });
const MerchantParams = Type.Object({ merchantId: Type.String() });
const MerchantListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ description: 'merchants per page, 1-200 (default 50)' })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
    include_gateway_accounts: Type.Optional(Type.String({ description: 'true: each merchant with its gateway accounts (credentials masked)' })),
  },
  // Unknown parameters are refused by name in the handler (whatever the validator's removeAdditional).
  { additionalProperties: true },
);
const MERCHANT_LIST_PARAMS = ['limit', 'cursor', 'include_gateway_accounts'];
const KeyParams = Type.Object({ merchantId: Type.String(), keyId: Type.String() });
const AccountParams = Type.Object({ merchantId: Type.String(), accountId: Type.String() });

const CreateMerchantRequest = Type.Object({
  merchant_id: Type.Optional(Type.String({ description: '3 to 32 letters, digits or underscores; generated when absent' })),
  name: Type.String(),
  webhook_url: Type.Optional(Type.String()),
  webhook_username: Type.Optional(Type.String()),
  webhook_password: Type.Optional(Type.String()),
  webhook_custom_headers: Type.Optional(StringMap),
  webhook_version: Type.Optional(Type.String()),
});

const WebhookPatchRequest = Type.Object({
  url: Type.Optional(Nullable(Type.String())),
  username: Type.Optional(Nullable(Type.String())),
  password: Type.Optional(Nullable(Type.String())),
  custom_headers: Type.Optional(StringMap),
  version: Type.Optional(Nullable(Type.String())),
  rotate_hmac_key: Type.Optional(Type.Boolean()),
});

const CreateKeyRequest = Type.Object({ label: Type.Optional(Type.String()) });

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
const CreateAccountRequest = Type.Object({ gateway: Type.String({ examples: ['SIM_ALPHA'] }), ...GatewayAccountFields });
const PatchAccountRequest = Type.Object(GatewayAccountFields);

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

export function gatewayAccountToWire(a: GatewayAccount): Static<typeof GatewayAccountBody> {
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
const SigningKeysBody = Type.Object({ merchant_id: Type.String(), response_key: ResponseKeyField, webhook_hmac_key: WebhookKeyField });
const RotatedResponseKeyBody = Type.Object({ merchant_id: Type.String(), response_key: ResponseKeyField });
const RotatedWebhookKeyBody = Type.Object({ merchant_id: Type.String(), webhook_hmac_key: WebhookKeyField });

export function signingKeysToWire(merchantId: string, keys: SigningKeys): Static<typeof SigningKeysBody> {
  return { merchant_id: merchantId, response_key: keys.responseKey, webhook_hmac_key: keys.webhookHmacKey };
}

export function rotatedKeyToWire(merchantId: string, rotated: RotatedSigningKey): { merchant_id: string; response_key?: string; webhook_hmac_key?: string } {
  return { merchant_id: merchantId, [rotated.key]: rotated.value };
}

/** Compares digests so neither the content nor the length of the key leaks through timing. */

const ErrorBody = Type.Object({ status: Type.String(), error_code: Type.String(), error_message: Type.String(), error_info: Type.Object({}, { additionalProperties: true }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const security = [{ adminBearer: [] }];

export function adminRoutes(deps: AdminRoutesDeps): FastifyPluginAsyncTypebox {
  const { merchants } = deps;
  const adminApiKey = deps.adminApiKey || undefined;

  return async (app) => {
    app.addHook('onRequest', async (request) => {
      if (adminApiKey === undefined) throw new AppError('UNAUTHORIZED', 'Admin API is disabled: set JUNCTION_ADMIN_KEY');
      if (!bearerMatches(request, adminApiKey)) throw new AppError('UNAUTHENTICATED', 'Invalid or missing admin key (Authorization: Bearer <JUNCTION_ADMIN_KEY>)');
    });

    app.post(
      '/merchants',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a merchant (returns its first API key, response key and webhook HMAC key once)',
          security,
          body: CreateMerchantRequest,
          response: {
            201: Type.Object({ merchant: MerchantBody, api_key: CreatedKeyBody, response_key: Type.String(), webhook_hmac_key: Type.String() }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await merchants.createMerchant({
          ...(b.merchant_id !== undefined ? { id: b.merchant_id } : {}),
          name: b.name,
          ...(b.webhook_url !== undefined ? { webhookUrl: b.webhook_url } : {}),
          ...(b.webhook_username !== undefined ? { webhookUsername: b.webhook_username } : {}),
          ...(b.webhook_password !== undefined ? { webhookPassword: b.webhook_password } : {}),
          ...(b.webhook_custom_headers !== undefined ? { webhookCustomHeaders: b.webhook_custom_headers } : {}),
          ...(b.webhook_version !== undefined ? { webhookVersion: b.webhook_version } : {}),
        });
        return reply.status(201).send({
          merchant: merchantToWire(created.merchant),
          api_key: { id: created.apiKeyId, key: created.apiKey, prefix: created.apiKeyPrefix },
          response_key: created.responseKey,
          webhook_hmac_key: created.webhookHmacKey,
        });
      },
    );

    app.get(
      '/connectors',
      {
        schema: {
          querystring: NoQuery, tags: ['admin'], security,
          summary: 'The gateways this build has a connector for: gateway_id, capabilities, and the credentials an account of each needs',
          response: { 200: Type.Object({ connectors: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errors },
        },
      },
      async () => ({ connectors: [...(deps.connectors?.() ?? [])] }),
    );

    app.get(
      '/connectors/metrics',
      {
        schema: {
          querystring: NoQuery, tags: ['admin'], security,
          summary: "This instance's calls to each real gateway since it started: calls, errors (5xx, refused, cut), timeouts, retries, latency total and buckets (ms)",
          response: { 200: Type.Object({ gateways: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })) }), ...errors },
        },
      },
      async () => ({ gateways: deps.gatewayMetrics?.() ?? {} }),
    );

    app.get(
      '/merchants',
      {
        schema: {
          tags: ['admin'], security,
          summary: 'List merchants in id order, a page at a time (limit 1-200, default 50; cursor = next_cursor); include_gateway_accounts=true adds each one\'s gateway accounts (credentials masked)',
          querystring: MerchantListQuery,
          response: { 200: Type.Object({ merchants: Type.Array(MerchantListItem), next_cursor: Nullable(Type.String()) }), ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        for (const key of Object.keys(q)) {
          if (!MERCHANT_LIST_PARAMS.includes(key)) throw new AppError('INVALID_INPUT', `Unknown parameter ${key}`, { fields: [{ field_name: key, reason: `is not a parameter of this list (${MERCHANT_LIST_PARAMS.join(', ')})` }] });
        }
        const include = q.include_gateway_accounts;
        if (include !== undefined && include !== 'true' && include !== 'false') {
          throw new AppError('INVALID_INPUT', 'Invalid value for include_gateway_accounts: must be true or false', { fields: [{ field_name: 'include_gateway_accounts', reason: 'must be true or false' }] });
        }
        const page = await merchants.listMerchants({ ...(q.limit !== undefined ? { limit: q.limit } : {}), ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) });
        const items = [];
        for (const merchant of page.merchants) {
          items.push({
            ...merchantToWire(merchant),
            ...(include === 'true' ? { gateway_accounts: (await merchants.listGatewayAccounts(merchant.id)).map(gatewayAccountToWire) } : {}),
          });
        }
        return { merchants: items, next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/merchants/:merchantId',
      { schema: { querystring: NoQuery, tags: ['admin'], summary: 'Get a merchant', security, params: MerchantParams, response: { 200: MerchantBody, ...errors } } },
      async (request) => merchantToWire(await merchants.getMerchant(request.params.merchantId)),
    );

    app.patch(
      '/merchants/:merchantId/webhook',
      {
        schema: {
          tags: ['admin'],
          summary: 'Update webhook settings (null clears a field; rotate_hmac_key: true rotates the webhook signing key like POST .../signing-keys/webhook-key/rotate and returns the new key)',
          security,
          params: MerchantParams,
          body: WebhookPatchRequest,
          response: { 200: Type.Object({ merchant: MerchantBody, webhook_hmac_key: Type.Optional(Type.String()) }), ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.rotate_hmac_key === true) reply.header('cache-control', 'no-store');
        const result = await merchants.updateWebhookSettings(request.params.merchantId, {
          ...(b.url !== undefined ? { url: b.url } : {}),
          ...(b.username !== undefined ? { username: b.username } : {}),
          ...(b.password !== undefined ? { password: b.password } : {}),
          ...(b.custom_headers !== undefined ? { customHeaders: b.custom_headers } : {}),
          ...(b.version !== undefined ? { version: b.version } : {}),
          ...(b.rotate_hmac_key !== undefined ? { rotateHmacKey: b.rotate_hmac_key } : {}),
        });
        return { merchant: merchantToWire(result.merchant), ...(result.webhookHmacKey !== undefined ? { webhook_hmac_key: result.webhookHmacKey } : {}) };
      },
    );

    app.post(
      '/merchants/:merchantId/api-keys',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create an API key (shown once)',
          security,
          params: MerchantParams,
          body: CreateKeyRequest,
          response: { 201: CreatedKeyBody, ...errors },
        },
        // The body is optional: a POST without one means "no label".
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
      },
      async (request, reply) => {
        const created = await merchants.createApiKey(request.params.merchantId, request.body.label ?? null);
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/merchants/:merchantId/api-keys',
      { schema: { querystring: NoQuery, tags: ['admin'], summary: 'List API keys (prefixes only)', security, params: MerchantParams, response: { 200: Type.Object({ api_keys: Type.Array(ApiKeyBody) }), ...errors } } },
      async (request) => ({ api_keys: (await merchants.listApiKeys(request.params.merchantId)).map(apiKeyToWire) }),
    );

    app.delete(
      '/merchants/:merchantId/api-keys/:keyId',
      { schema: { querystring: NoQuery, tags: ['admin'], summary: 'Revoke an API key (effective at once on this instance, within seconds on others)', security, params: KeyParams, response: { 200: ApiKeyBody, ...errors } } },
      async (request) => apiKeyToWire(await merchants.revokeApiKey(request.params.merchantId, request.params.keyId)),
    );

    app.post(
      '/merchants/:merchantId/gateway-accounts',
      {
        schema: {
          tags: ['admin'],
          summary: 'Add a gateway account (credentials are encrypted at rest and never returned)',
          security,
          params: MerchantParams,
          body: CreateAccountRequest,
          response: { 201: GatewayAccountBody, ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const account = await merchants.createGatewayAccount(request.params.merchantId, {
          gateway: b.gateway,
          credentials: b.credentials ?? {},
          ...accountFields(b),
        });
        return reply.status(201).send(gatewayAccountToWire(account));
      },
    );

    app.get(
      '/merchants/:merchantId/gateway-accounts',
      {
        schema: { querystring: NoQuery, tags: ['admin'], summary: 'List gateway accounts', security, params: MerchantParams, response: { 200: Type.Object({ gateway_accounts: Type.Array(GatewayAccountBody) }), ...errors } },
      },
      async (request) => ({ gateway_accounts: (await merchants.listGatewayAccounts(request.params.merchantId)).map(gatewayAccountToWire) }),
    );

    app.get(
      '/merchants/:merchantId/gateway-accounts/:accountId',
      { schema: { querystring: NoQuery, tags: ['admin'], summary: 'Get a gateway account', security, params: AccountParams, response: { 200: GatewayAccountBody, ...errors } } },
      async (request) => gatewayAccountToWire(await merchants.getGatewayAccount(request.params.merchantId, request.params.accountId)),
    );

    app.patch(
      '/merchants/:merchantId/gateway-accounts/:accountId',
      {
        schema: {
          tags: ['admin'],
          summary: 'Update a gateway account (partial; credentials replace the whole set)',
          security,
          params: AccountParams,
          body: PatchAccountRequest,
          response: { 200: GatewayAccountBody, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        const account = await merchants.updateGatewayAccount(request.params.merchantId, request.params.accountId, {
          ...(b.credentials !== undefined ? { credentials: b.credentials } : {}),
          ...accountFields(b),
        });
        return gatewayAccountToWire(account);
      },
    );

    // Signing keys. Answers carry secrets: never cached by a proxy or a browser.
    app.get(
      '/merchants/:merchantId/signing-keys',
      {
        schema: { querystring: NoQuery, tags: ['admin'], summary: "Show a merchant's response key and webhook signing key", security, params: MerchantParams, response: { 200: SigningKeysBody, ...errors } },
      },
      async (request, reply) => {
        const keys = await merchants.getSigningKeys(request.params.merchantId);
        reply.header('cache-control', 'no-store');
        return signingKeysToWire(request.params.merchantId, keys);
      },
    );

    app.post(
      '/merchants/:merchantId/signing-keys/response-key/rotate',
      {
        schema: { body: NoBody, 
          tags: ['admin'], summary: 'Rotate the response key (the new key signs the next return-URL redirect; the old one no longer does)', security,
          params: MerchantParams, response: { 200: RotatedResponseKeyBody, ...errors },
        },
      },
      async (request, reply) => {
        const rotated = await merchants.rotateSigningKey(request.params.merchantId, 'response_key');
        reply.header('cache-control', 'no-store');
        return { merchant_id: request.params.merchantId, response_key: rotated.value };
      },
    );

    app.post(
      '/merchants/:merchantId/signing-keys/webhook-key/rotate',
      {
        schema: { body: NoBody, 
          tags: ['admin'], summary: 'Rotate the webhook signing key (the new key signs the next delivery, retries included; the old one no longer does)', security,
          params: MerchantParams, response: { 200: RotatedWebhookKeyBody, ...errors },
        },
      },
      async (request, reply) => {
        const rotated = await merchants.rotateSigningKey(request.params.merchantId, 'webhook_hmac_key');
        reply.header('cache-control', 'no-store');
        return { merchant_id: request.params.merchantId, webhook_hmac_key: rotated.value };
      },
    );
  };
}

type AccountFieldsWire = Static<typeof PatchAccountRequest>;

function accountFields(b: AccountFieldsWire) {
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
