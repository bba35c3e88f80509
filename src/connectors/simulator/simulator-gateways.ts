// The simulated gateways' configuration: each gateway's behaviour profile (validated), its random
// streams, and the outage windows an operator starts and ends.
import { SIMULATED_GATEWAYS } from '../../core/gateways.ts';
import type { PaymentMethodType } from '../../core/payment-methods.ts';
import { baselineProfile, cloneProfile, defaultSimulatorProfiles, mergeProfilePatch, validateProfile, type OutageWindow, type ProfileValidation, type SimulatorProfile } from './simulator-profile.ts';
import { freshGatewayState, type GatewayState } from './simulator-decisions.ts';

export interface StartOutageInput {
  startMs?: number;
  durationMs?: number;
  untilMs?: number;
  paymentMethodType?: PaymentMethodType;
  issuer?: string;
  mode?: 'DOWN' | 'TIMEOUT';
}

export class SimulatedGateways {
  private readonly initialProfiles: Record<string, SimulatorProfile>;
  private readonly states = new Map<string, GatewayState>();

  /** `profiles` replace the defaults (gateway name -> profile); an invalid one throws. */
  constructor(
    profiles: Record<string, SimulatorProfile> | undefined,
    private readonly globalSeed: number,
  ) {
    const initial = { ...defaultSimulatorProfiles(), ...(profiles ?? {}) };
    for (const [name, candidate] of Object.entries(initial)) {
      const checked = validateProfile(candidate);
      if (!checked.ok) throw new Error(`Invalid simulator profile for ${name}: ${checked.errors.map((e) => `${e.field_name} ${e.reason}`).join('; ')}`);
      initial[name] = checked.profile;
    }
    this.initialProfiles = initial;
    this.load();
  }

  names(): string[] {
    return [...this.states.keys()];
  }

  has(gateway: string): boolean {
    return this.states.has(gateway);
  }

  profile(gateway: string): SimulatorProfile | undefined {
    const state = this.states.get(gateway);
    return state ? cloneProfile(state.profile) : undefined;
  }

  profiles(): Record<string, SimulatorProfile> {
    const out: Record<string, SimulatorProfile> = {};
    for (const [name, state] of this.states) out[name] = cloneProfile(state.profile);
    return out;
  }

  /** Replaces a gateway's profile (adding the gateway if new). The random streams restart when the seed changes. */
  set(gateway: string, input: unknown): ProfileValidation {
    const checked = validateProfile(input);
    if (!checked.ok) return checked;
    const existing = this.states.get(gateway);
    if (existing && existing.profile.seed === checked.profile.seed) existing.profile = checked.profile;
    else this.states.set(gateway, freshGatewayState(checked.profile, this.globalSeed));
    return { ok: true, profile: cloneProfile(checked.profile) };
  }

  /** Merges a partial profile (objects merge key by key, arrays replace) and validates the result. */
  patch(gateway: string, patch: Record<string, unknown>): ProfileValidation | undefined {
    const state = this.states.get(gateway);
    if (!state) return undefined;
    return this.set(gateway, mergeProfilePatch(state.profile, patch));
  }

  /** Back to the initial profiles and seeds. */
  reset(): void {
    this.states.clear();
    this.load();
  }

  /** The gateway's state; an unknown gateway gets a baseline profile. */
  stateOf(gateway: string): GatewayState {
    let state = this.states.get(gateway);
    if (!state) {
      state = freshGatewayState(baselineProfile(this.states.size + 1), this.globalSeed);
      this.states.set(gateway, state);
    }
    return state;
  }

  /** `outageNumber` numbers the window's id (the simulator's event sequence). */
  startOutage(gateway: string, input: StartOutageInput, now: () => number, outageNumber: () => number): OutageWindow | undefined {
    const state = this.states.get(gateway);
    if (!state) return undefined;
    const startMs = input.startMs ?? now();
    const endMs = input.untilMs ?? (input.durationMs !== undefined ? startMs + input.durationMs : Number.MAX_SAFE_INTEGER);
    const window: OutageWindow = { id: `outage_${outageNumber()}`, startMs, endMs, mode: input.mode ?? 'DOWN' };
    if (input.paymentMethodType) window.paymentMethodType = input.paymentMethodType;
    if (input.issuer) window.issuer = input.issuer;
    state.profile.outages.push(window);
    return { ...window };
  }

  /** Removes the given outage, or all of them; returns how many were removed. */
  endOutage(gateway: string, outageId?: string): number {
    const state = this.states.get(gateway);
    if (!state) return 0;
    const before = state.profile.outages.length;
    state.profile.outages = outageId === undefined ? [] : state.profile.outages.filter((window) => window.id !== outageId);
    return before - state.profile.outages.length;
  }

  private load(): void {
    for (const gateway of SIMULATED_GATEWAYS) {
      if (!this.initialProfiles[gateway]) this.initialProfiles[gateway] = baselineProfile(900 + SIMULATED_GATEWAYS.indexOf(gateway));
    }
    for (const [name, p] of Object.entries(this.initialProfiles)) this.states.set(name, freshGatewayState(cloneProfile(p), this.globalSeed));
  }
}
