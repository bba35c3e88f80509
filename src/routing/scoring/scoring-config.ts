// The scoring configuration: its defaults (including the adaptive refinements) and how a partial
// configuration is completed.
import type { AdaptiveSettings, ScoringConfig } from './types.ts';

/** Defaults of the recovery and probing refinements (`ScoringConfig.adaptive`). */
export const DEFAULT_ADAPTIVE: AdaptiveSettings = {
  dropSkipBelow: 0.35,
  riseRejoinsParent: true,
  probeStart: 1,
  probeRampMs: 600_000,
  probeLateFactor: 0.25,
  fullScaleAt: 300,
  probeBoost: 0.2,
  restoreEvidence: 150,
  outageScale: 0,
};

/** The adaptive settings of a config (defaults when absent). */
export function adaptive(config: ScoringConfig): AdaptiveSettings {
  const a = config.adaptive;
  if (a === undefined) return DEFAULT_ADAPTIVE;
  // Hot path: `scoringConfig()` fills every field, so usually no copy is needed.
  if (
    a.dropSkipBelow !== undefined &&
    a.riseRejoinsParent !== undefined &&
    a.probeStart !== undefined &&
    a.probeRampMs !== undefined &&
    a.probeLateFactor !== undefined &&
    a.fullScaleAt !== undefined &&
    a.probeBoost !== undefined &&
    a.restoreEvidence !== undefined &&
    a.outageScale !== undefined
  )
    return a as AdaptiveSettings;
  return { ...DEFAULT_ADAPTIVE, ...a };
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  // Issuer before card brand: issuer effects (an acquirer's relationship with a bank) cross card
  // brands, so HDFC cards of every brand pool; a brand effect is still learned at the finest level.
  levels: [[], ['paymentMethodType'], ['paymentMethodType', 'issuer'], ['paymentMethodType', 'issuer', 'paymentMethod']],
  priorMean: 0.9,
  priorStrength: 100,
  rootPriorStrength: 10,
  discount: 1 - 1 / 1000,
  halfLifeMs: 3_600_000,
  // The small-drop GLR (3-point CUSUM segment, threshold 8, on the gateway and payment-method
  // arms with 200 outcomes of their own) was tuned on TUNING_SEEDS: 33 alarms per million decisions
  // in stationary traffic with the outage CUSUM, against 20 without it (docs/routing-benchmark.md).
  detector: {
    drop: 0.5,
    rise: 0.5,
    riseBelow: 0.75,
    threshold: 10,
    riseThreshold: 8,
    postAlarmPriorStrength: 2,
    postAlarmEvidence: 10,
    smallDrop: 0.03,
    glrThreshold: 8,
    glrMinOutcomes: 20,
    glrMinEvidence: 200,
    glrMaxLevel: 1,
  },
  propagateResets: true,
  ranking: 'THOMPSON',
  posteriorScale: 12,
  // Probes: 2% of decisions while a gateway is DOWN or degraded within `health.recentAlarmMs` of
  // its alarm, 0.5% after that (`adaptive.probeLateFactor`), and 20% while a DOWN gateway's rise
  // test is gathering successes (`adaptive.probeBoost`): a recovery is settled within a few dozen
  // decisions of the first successful probe, and an outage that lasts costs few failed probes.
  exploration: { floor: 0.01, probe: 0.02 },
  health: { downBelow: 0.35, fluctuateBelow: 0.75, recentAlarmMs: 300_000 },
  scheduledOutages: [],
  fees: {},
  costTolerance: 0,
  adaptive: { ...DEFAULT_ADAPTIVE },
};

/** A config with the defaults filled in (nested objects merged one level deep). */
export function scoringConfig(partial: Partial<ScoringConfig> = {}): ScoringConfig {
  const d = DEFAULT_SCORING_CONFIG;
  return {
    ...d,
    ...partial,
    detector: { ...d.detector, ...partial.detector },
    exploration: { ...d.exploration, ...partial.exploration },
    health: { ...d.health, ...partial.health },
    adaptive: { ...DEFAULT_ADAPTIVE, ...partial.adaptive },
  };
}
