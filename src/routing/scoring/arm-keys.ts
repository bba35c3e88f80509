// The keys of the score store: one arm per (gateway, segment level).
import type { ScoringConfig, Segment } from './types.ts';
// ---------------------------------------------------------------- keys

/** The arm key of a gateway at one level: `GW|level|value|value`. */
export function armKey(gateway: string, segment: Segment, level: number, config: ScoringConfig): string {
  let key = `${gateway}|${level}`;
  for (const field of config.levels[level]) key += `|${segment[field] ?? '-'}`;
  return key;
}

/** Keys of a gateway's arms, coarse to fine. */
export function armKeys(gateway: string, segment: Segment, config: ScoringConfig): string[] {
  const keys: string[] = [];
  for (let level = 0; level < config.levels.length; level++) keys.push(armKey(gateway, segment, level, config));
  return keys;
}

/** Every key one decision reads (fetch them in one round trip). */
export function armKeysForDecision(gateways: readonly string[], segment: Segment, config: ScoringConfig): string[] {
  const keys: string[] = [];
  for (const gateway of gateways) for (let level = 0; level < config.levels.length; level++) keys.push(armKey(gateway, segment, level, config));
  return keys;
}
