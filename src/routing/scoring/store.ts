// Where arm statistics live. The decision path reads every key it needs in one call; feedback
// applies a pure update to the arms of one gateway. A Redis adapter (elsewhere) implements the
// same contract with MGET / a Lua script or WATCH; the state is plain JSON numbers.
import type { ArmStats, ScoreSnapshot } from './types.ts';

type MaybePromise<T> = T | Promise<T>;

export interface ScoreStore {
  /** The arms stored under `keys` (absent keys are missing from the result). One round trip. */
  get(keys: readonly string[]): MaybePromise<ScoreSnapshot>;
  /**
   * Atomically replaces the arms under `keys` with `apply(current)`; `apply` is pure apart from
   * mutating the snapshot it is given, and returns it.
   */
  update(keys: readonly string[], apply: (current: ScoreSnapshot) => ScoreSnapshot): MaybePromise<void>;
}

/** Process-local store; `get` returns a live view (no copy) because the ranking only reads it. */
export class InMemoryScoreStore implements ScoreStore {
  private readonly arms: ScoreSnapshot;

  constructor(initial: ScoreSnapshot = {}) {
    this.arms = initial;
  }

  get(_keys: readonly string[]): ScoreSnapshot {
    return this.arms;
  }

  update(_keys: readonly string[], apply: (current: ScoreSnapshot) => ScoreSnapshot): void {
    const next = apply(this.arms);
    if (next !== this.arms) Object.assign(this.arms, next);
  }

  /** A deep copy of everything (plain JSON). */
  snapshot(): ScoreSnapshot {
    return parseSnapshot(serializeSnapshot(this.arms));
  }
}

const ARM_FIELDS = ['s', 'f', 't', 'cd', 'ds', 'df', 'cu', 'us', 'uf', 'r', 'a', 'h'] as const satisfies readonly (keyof ArmStats)[];

const OPTIONAL_ARM_FIELDS = ['gd', 'gs', 'gf', 'gp', 'gn', 'pm'] as const satisfies readonly (keyof ArmStats)[];

export function serializeSnapshot(snapshot: ScoreSnapshot): string {
  return JSON.stringify(snapshot);
}

export function serializeArm(arm: ArmStats): string {
  return JSON.stringify(arm);
}

export function parseArm(value: unknown): ArmStats | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const arm = {} as ArmStats;
  for (const field of ARM_FIELDS) {
    const n = record[field];
    if (typeof n !== 'number' || !Number.isFinite(n)) return null;
    arm[field] = n;
  }
  // Fields added later are optional: an arm stored before them reads them as absent (0).
  for (const field of OPTIONAL_ARM_FIELDS) {
    const n = record[field];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isFinite(n)) return null;
    arm[field] = n;
  }
  return arm;
}

/** Parses stored state; arms that are not well-formed are dropped (they restart from the prior). */
export function parseSnapshot(text: string): ScoreSnapshot {
  const raw: unknown = JSON.parse(text);
  const out: ScoreSnapshot = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const arm = parseArm(value);
    if (arm) out[key] = arm;
  }
  return out;
}
