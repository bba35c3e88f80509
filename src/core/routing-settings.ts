// A merchant's routing settings: how many gateways one payment may try, and which failures may
// move to the next gateway. Stored with the merchant; read on every payment (cached).
import { invalidField } from './errors.ts';

export interface RoutingSettings {
  /** Attempts one POST /txns may make across gateways (1 = no automatic fallback). */
  maxAttempts: number;
  /** Soft declines (do-not-honour, issuer unavailable) may be retried on the next gateway. */
  retrySoftDeclines: boolean;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = Object.freeze({ maxAttempts: 1, retrySoftDeclines: false });
export const MAX_FALLBACK_ATTEMPTS = 5;

/** Reads stored settings leniently (missing or old fields take defaults). */
export function routingSettingsFrom(raw: unknown): RoutingSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const attempts = typeof value.max_attempts === 'number' && Number.isInteger(value.max_attempts) ? value.max_attempts : DEFAULT_ROUTING_SETTINGS.maxAttempts;
  return {
    maxAttempts: Math.min(MAX_FALLBACK_ATTEMPTS, Math.max(1, attempts)),
    retrySoftDeclines: typeof value.retry_soft_declines === 'boolean' ? value.retry_soft_declines : DEFAULT_ROUTING_SETTINGS.retrySoftDeclines,
  };
}

/** Validates a patch from the API (snake_case wire names) and returns the stored form. */
export function applyRoutingSettingsPatch(current: RoutingSettings, body: unknown): RoutingSettings {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
  const patch = body as Record<string, unknown>;
  for (const key of Object.keys(patch)) {
    if (key !== 'max_attempts' && key !== 'retry_soft_declines') throw invalidField(key, 'is not a routing setting');
  }
  const next = { ...current };
  if (patch.max_attempts !== undefined) {
    const n = patch.max_attempts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_FALLBACK_ATTEMPTS) throw invalidField('max_attempts', `must be an integer from 1 to ${MAX_FALLBACK_ATTEMPTS}`);
    next.maxAttempts = n;
  }
  if (patch.retry_soft_declines !== undefined) {
    if (typeof patch.retry_soft_declines !== 'boolean') throw invalidField('retry_soft_declines', 'must be true or false');
    next.retrySoftDeclines = patch.retry_soft_declines;
  }
  return next;
}

export function routingSettingsToWire(settings: RoutingSettings): Record<string, unknown> {
  return { max_attempts: settings.maxAttempts, retry_soft_declines: settings.retrySoftDeclines };
}
