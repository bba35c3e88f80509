// A merchant's settings: webhook delivery (URL, credentials, headers, version), routing settings,
// and the secrets the webhook worker and the return URL signer read (cached for a few seconds).
import { applyRoutingSettingsPatch, routingSettingsFrom, routingSettingsToWire, type RoutingSettings } from '../routing-settings.ts';
import { decryptSecret, encryptSecret } from '../crypto.ts';
import { notFound } from '../errors.ts';
import type { MerchantRecordPatch } from '../ports/merchant-store.ts';
import { requireMerchant, type MerchantDeps } from './merchant-deps.ts';
import { validateCustomHeaders, validateOptionalText, validateWebhookUrl, validateWebhookVersion } from './merchant-input.ts';
import { toMerchant } from './merchant-records.ts';
import { newSigningKey } from './signing-keys.ts';
import type { MerchantSecrets, UpdatedWebhookSettings, WebhookSettingsPatch } from './types.ts';

export async function updateWebhookSettings(deps: MerchantDeps, merchantId: string, patch: WebhookSettingsPatch): Promise<UpdatedWebhookSettings> {
  const { store, keyRing } = deps;
  const current = await requireMerchant(store, merchantId);
  const update: MerchantRecordPatch = {};
  if (patch.url !== undefined) update.webhookUrl = patch.url === null ? null : validateWebhookUrl(patch.url, 'url');
  if (patch.username !== undefined) update.webhookUsername = patch.username === null ? null : validateOptionalText(patch.username, 'username');
  if (patch.password !== undefined) {
    update.webhookPasswordEnc = patch.password === null ? null : encryptSecret(keyRing, validateOptionalText(patch.password, 'password'));
  }
  if (patch.customHeaders !== undefined) update.webhookCustomHeaders = validateCustomHeaders(patch.customHeaders, 'custom_headers');
  if (patch.version !== undefined) {
    const settings = { ...current.settings };
    if (patch.version === null) delete settings.webhook_version;
    else settings.webhook_version = validateWebhookVersion(patch.version, 'version');
    update.settings = settings;
  }
  // The older spelling of rotateSigningKey(merchantId, 'webhook_hmac_key'), kept for its callers.
  let webhookHmacKey: string | undefined;
  if (patch.rotateHmacKey === true) {
    webhookHmacKey = newSigningKey();
    update.webhookHmacKeyEnc = encryptSecret(keyRing, webhookHmacKey);
  }
  const record = await store.updateMerchant(merchantId, update);
  if (!record) throw notFound('Merchant');
  deps.caches.secrets.delete(merchantId);
  deps.changed(merchantId);
  return webhookHmacKey === undefined ? { merchant: toMerchant(record) } : { merchant: toMerchant(record), webhookHmacKey };
}

export async function getRoutingSettings(deps: MerchantDeps, merchantId: string): Promise<RoutingSettings> {
  const cached = deps.caches.routingSettings.get(merchantId);
  if (cached) return cached;
  const settings = routingSettingsFrom((await requireMerchant(deps.store, merchantId)).settings.routing);
  deps.caches.routingSettings.set(merchantId, settings);
  return settings;
}

export async function updateRoutingSettings(deps: MerchantDeps, merchantId: string, body: unknown): Promise<RoutingSettings> {
  const current = await requireMerchant(deps.store, merchantId);
  const next = applyRoutingSettingsPatch(routingSettingsFrom(current.settings.routing), body);
  const record = await deps.store.updateMerchant(merchantId, { settings: { ...current.settings, routing: routingSettingsToWire(next) } });
  if (!record) throw notFound('Merchant');
  deps.caches.routingSettings.delete(merchantId);
  deps.changed(merchantId);
  return next;
}

export async function getMerchantSecrets(deps: MerchantDeps, merchantId: string): Promise<MerchantSecrets> {
  const { keyRing } = deps;
  const cached = deps.caches.secrets.get(merchantId);
  if (cached) return cached;
  const record = await requireMerchant(deps.store, merchantId);
  const version = record.settings.webhook_version;
  const secrets: MerchantSecrets = {
    responseKey: decryptSecret(keyRing, record.responseKeyEnc),
    webhook: {
      url: record.webhookUrl,
      username: record.webhookUsername,
      password: record.webhookPasswordEnc === null ? null : decryptSecret(keyRing, record.webhookPasswordEnc),
      hmacKey: decryptSecret(keyRing, record.webhookHmacKeyEnc),
      customHeaders: record.webhookCustomHeaders,
      version: typeof version === 'string' ? version : null,
    },
  };
  deps.caches.secrets.set(merchantId, secrets);
  return secrets;
}
