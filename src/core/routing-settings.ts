// A merchant's routing settings: how many gateways one payment may try, which failures may move
// to the next gateway, and the intelligent-routing knobs (ranking of the default order, health
// thresholds, exploration, cost trade-off). Stored with the merchant; read on every payment (cached).
import { invalidField } from './errors.ts';

export type RankingModeSetting = 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE';
export const RANKING_MODES: readonly RankingModeSetting[] = ['OFF', 'WITHIN_LOGIC', 'ALL_ELIGIBLE'];

export interface RoutingSettings {
  /** Attempts one POST /txns may make across gateways (1 = no automatic fallback). */
  maxAttempts: number;
  /** Soft declines (do-not-honour, issuer unavailable) may be retried on the next gateway. */
  retrySoftDeclines: boolean;
  /** Ranking of the default order (merchants without an active Priority Logic). */
  rankingMode?: RankingModeSetting;
  /** Estimated success rate (0..1) below which a gateway is DOWN (skipped except for probes). */
  healthDownBelow?: number;
  /** Estimated success rate (0..1) below which a gateway is FLUCTUATE. */
  healthFluctuateBelow?: number;
  /** Share of decisions (percent) that try a non-best healthy gateway first. */
  explorationPercent?: number;
  /** Share of decisions (percent) that probe a DOWN or degraded gateway first (a quarter of it once its last alarm is over 5 minutes old). */
  probePercent?: number;
  /** Prefer the cheaper gateway while its expected success is within this many percentage points of the best. */
  costTolerancePoints?: number;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = Object.freeze({ maxAttempts: 1, retrySoftDeclines: false });
export const MAX_FALLBACK_ATTEMPTS = 5;

export interface IntelligenceSettings {
  rankingMode: RankingModeSetting;
  healthDownBelow: number;
  healthFluctuateBelow: number;
  explorationPercent: number;
  probePercent: number;
  costTolerancePoints: number;
}

/** Defaults of the intelligent-routing settings (absent fields take these). */
export const DEFAULT_INTELLIGENCE: Readonly<IntelligenceSettings> = Object.freeze({
  rankingMode: 'OFF',
  healthDownBelow: 0.35,
  healthFluctuateBelow: 0.75,
  explorationPercent: 1,
  probePercent: 2,
  costTolerancePoints: 0,
});

/** The intelligent-routing settings with defaults filled in. */
export function intelligenceOf(settings: RoutingSettings): IntelligenceSettings {
  return {
    rankingMode: settings.rankingMode ?? DEFAULT_INTELLIGENCE.rankingMode,
    healthDownBelow: settings.healthDownBelow ?? DEFAULT_INTELLIGENCE.healthDownBelow,
    healthFluctuateBelow: settings.healthFluctuateBelow ?? DEFAULT_INTELLIGENCE.healthFluctuateBelow,
    explorationPercent: settings.explorationPercent ?? DEFAULT_INTELLIGENCE.explorationPercent,
    probePercent: settings.probePercent ?? DEFAULT_INTELLIGENCE.probePercent,
    costTolerancePoints: settings.costTolerancePoints ?? DEFAULT_INTELLIGENCE.costTolerancePoints,
  };
}

const NUMERIC: ReadonlyArray<{ key: keyof IntelligenceSettings; wire: string; min: number; max: number }> = [
  { key: 'healthDownBelow', wire: 'health_down_below', min: 0, max: 1 },
  { key: 'healthFluctuateBelow', wire: 'health_fluctuate_below', min: 0, max: 1 },
  { key: 'explorationPercent', wire: 'exploration_percent', min: 0, max: 20 },
  { key: 'probePercent', wire: 'probe_percent', min: 0, max: 20 },
  { key: 'costTolerancePoints', wire: 'cost_tolerance_points', min: 0, max: 100 },
];

/** Reads stored settings leniently (missing or old fields take defaults). */
export function routingSettingsFrom(raw: unknown): RoutingSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const attempts = typeof value.max_attempts === 'number' && Number.isInteger(value.max_attempts) ? value.max_attempts : DEFAULT_ROUTING_SETTINGS.maxAttempts;
  const settings: RoutingSettings = {
    maxAttempts: Math.min(MAX_FALLBACK_ATTEMPTS, Math.max(1, attempts)),
    retrySoftDeclines: typeof value.retry_soft_declines === 'boolean' ? value.retry_soft_declines : DEFAULT_ROUTING_SETTINGS.retrySoftDeclines,
  };
  if (typeof value.ranking_mode === 'string' && (RANKING_MODES as readonly string[]).includes(value.ranking_mode)) settings.rankingMode = value.ranking_mode as RankingModeSetting;
  for (const { key, wire, min, max } of NUMERIC) {
    const n = value[wire];
    if (typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max) (settings as unknown as Record<string, number>)[key] = n;
  }
  return settings;
}

const KNOWN_KEYS = ['max_attempts', 'retry_soft_declines', 'ranking_mode', ...NUMERIC.map((n) => n.wire)];

/** Validates a patch from the API (snake_case wire names) and returns the stored form. */
export function applyRoutingSettingsPatch(current: RoutingSettings, body: unknown): RoutingSettings {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
  const patch = body as Record<string, unknown>;
  for (const key of Object.keys(patch)) {
    if (!KNOWN_KEYS.includes(key)) throw invalidField(key, 'is not a routing setting');
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
  if (patch.ranking_mode !== undefined) {
    if (typeof patch.ranking_mode !== 'string' || !(RANKING_MODES as readonly string[]).includes(patch.ranking_mode)) throw invalidField('ranking_mode', `must be one of ${RANKING_MODES.join(', ')}`);
    next.rankingMode = patch.ranking_mode as RankingModeSetting;
  }
  for (const { key, wire, min, max } of NUMERIC) {
    const n = patch[wire];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw invalidField(wire, `must be a number from ${min} to ${max}`);
    (next as unknown as Record<string, number>)[key] = n;
  }
  const merged = intelligenceOf(next);
  if (merged.healthDownBelow > merged.healthFluctuateBelow) {
    throw invalidField(patch.health_down_below !== undefined ? 'health_down_below' : 'health_fluctuate_below', 'health_down_below must not exceed health_fluctuate_below');
  }
  return next;
}

/**
 * The stored / legacy wire form. Intelligent-routing fields appear only when set, so the
 * fallback settings read exactly as before for merchants that never touched them.
 */
export function routingSettingsToWire(settings: RoutingSettings): Record<string, unknown> {
  const wire: Record<string, unknown> = { max_attempts: settings.maxAttempts, retry_soft_declines: settings.retrySoftDeclines };
  if (settings.rankingMode !== undefined) wire.ranking_mode = settings.rankingMode;
  for (const { key, wire: name } of NUMERIC) {
    const value = settings[key];
    if (value !== undefined) wire[name] = value;
  }
  return wire;
}

/** Every routing setting with defaults filled in (GET /v1/routing/settings). */
export function routingSettingsToFullWire(settings: RoutingSettings): Record<string, unknown> {
  const i = intelligenceOf(settings);
  return {
    max_attempts: settings.maxAttempts,
    retry_soft_declines: settings.retrySoftDeclines,
    ranking_mode: i.rankingMode,
    health_down_below: i.healthDownBelow,
    health_fluctuate_below: i.healthFluctuateBelow,
    exploration_percent: i.explorationPercent,
    probe_percent: i.probePercent,
    cost_tolerance_points: i.costTolerancePoints,
  };
}
