// What every call of the decision engine's API shares: who the caller is and which engine merchants
// it may act for, the engine merchant and config caches of the hot path, the Junction actor a call
// acts as, and the /routing/* calls' envelope (errors in the engine's TE_04 shape).
//
// Tenancy: every call names an engine merchant (`merchantId` / `merchant_id`); the caller must be
// allowed to act for it. The operator (x-admin-secret) acts for every engine merchant; a merchant's
// API key or user only for the engine merchants mapped to its own Junction merchant. An engine
// merchant the caller may not act for answers exactly like one that does not exist.
import type { RoutingAccount } from '../ports/router.ts';
import type { DecisionContextStore, DecisionEngineStore, EngineConfigKind, EngineMerchant, EngineRoutingRule } from '../ports/decision-engine-store.ts';
import { GATEWAY_IDS } from '../gateways.ts';
import type { DecideService } from '../routing-intelligence/decide-service.ts';
import type { Segment } from '../../routing/scoring/index.ts';
import { AppError } from '../errors.ts';
import type { PriorityLogicService } from '../priority-logic/priority-logic-service.ts';
import type { Actor } from '../priority-logic/types.ts';
import { EngineInputError, deciderError, isObject, teError } from './engine-wire.ts';

/** The operator (x-admin-secret), or a merchant's key or user, with the Junction actor it is (roles apply). */
export type EngineCaller = { kind: 'OPERATOR' } | { kind: 'MERCHANT'; merchantId: string; actor: Actor };

/** An answer of the engine's API: the HTTP status and its body (the engine's shapes). */
export interface EngineAnswer {
  status: number;
  body: unknown;
  /** Answered as text/plain instead of JSON (the legacy /update-score's `Success`). */
  text?: true;
}

export interface DecisionEngineDeps {
  store: DecisionEngineStore;
  contexts: DecisionContextStore;
  merchants: {
    exists(merchantId: string): Promise<boolean>;
    create(merchantId: string): Promise<void>;
    /** A new API key of the merchant, in clear (shown once). */
    createApiKey(merchantId: string): Promise<string>;
  };
  decide: DecideService['decideGateway'];
  /** The merchant's gateway accounts (the candidates when the request names none). */
  accounts(merchantId: string): Promise<readonly RoutingAccount[]>;
  record(merchantId: string, outcome: { gateway: string; segment: Segment; success: boolean; countsAgainstGateway: boolean; atMillis: number }): Promise<unknown>;
  /** The Priority Logic lifecycle: the engine's routing rules are Priority Logics. */
  priorityLogic: Pick<PriorityLogicService, 'create' | 'copy' | 'activate' | 'deactivate' | 'remove' | 'get' | 'routing' | 'dryRun'>;
  now?: () => number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const ok = (body: unknown): EngineAnswer => ({ status: 200, body });

/** A bad decide or score request, in the decider's error shape. */
export function inputError(e: EngineInputError): EngineAnswer {
  return { status: 400, body: deciderError('INVALID_INPUT', `Invalid input: ${e.field} ${e.reason}`) };
}

/** The body as an object, or null when it is not one (answered with `notAnObject`). */
export function asObject(body: unknown): Record<string, unknown> | null {
  return isObject(body) ? body : null;
}

export const notAnObject: EngineAnswer = { status: 400, body: teError('body must be a JSON object') };

export const notFoundAnswer: EngineAnswer = { status: 404, body: teError('Merchant account not found') };

// The hot path reads the engine merchant and its elimination config on every decision: kept 2 s
// per instance (a change made on another instance is seen within that), dropped at once here.
const CACHE_MS = 2_000;

export function createEngineAccess(deps: DecisionEngineDeps) {
  const now = deps.now ?? Date.now;
  const merchantCache = new Map<string, { value: EngineMerchant | null; until: number }>();
  const configCache = new Map<string, { value: Record<string, unknown> | null; until: number }>();
  const cached = async <T>(cache: Map<string, { value: T; until: number }>, key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, until: now() + CACHE_MS });
    return value;
  };

  /** The engine merchant if the caller may act for it, else null (absent and forbidden look the same). */
  async function engineMerchantFor(caller: EngineCaller, engineMerchantId: string): Promise<EngineMerchant | null> {
    const m = await cached(merchantCache, engineMerchantId, () => deps.store.getEngineMerchant(engineMerchantId));
    if (!m) return null;
    if (caller.kind === 'MERCHANT' && caller.merchantId !== m.merchantId) return null;
    return m;
  }

  /** The Junction actor of a call for an engine merchant: the caller's own, or the operator acting as an admin of the mapped merchant. */
  const actorFor = (caller: EngineCaller, m: EngineMerchant): Actor =>
    caller.kind === 'MERCHANT' ? caller.actor : { merchantId: m.merchantId, kind: 'SYSTEM', id: 'decision-engine:operator', role: 'ADMIN' };

  /** A call that names its engine merchant in the body (`merchantField`; /routing/*, /rule/*, /config-sr-dimension): the body, the merchant, errors in the engine's TE_04 shape. */
  async function routingCall(
    caller: EngineCaller,
    body: unknown,
    merchantField: string,
    run: (m: EngineMerchant, b: Record<string, unknown>, actor: Actor) => Promise<EngineAnswer>,
  ): Promise<EngineAnswer> {
    const b = asObject(body);
    if (!b) return notAnObject;
    if (typeof b[merchantField] !== 'string') return { status: 400, body: teError(`${merchantField} is required`) };
    const m = await engineMerchantFor(caller, b[merchantField] as string);
    if (!m) return notFoundAnswer;
    try {
      return await run(m, b, actorFor(caller, m));
    } catch (e) {
      if (e instanceof EngineInputError) return { status: 400, body: teError(`${e.field} ${e.reason}`) };
      if (e instanceof AppError && e.status < 500) {
        const field = e.fields[0];
        return {
          status: e.status === 404 ? 404 : e.status === 401 || e.status === 403 ? 403 : 400,
          body: teError(field ? `${field.field_name}: ${field.reason}` : e.message, e.fields.length ? { fields: e.fields } : null),
        };
      }
      throw e;
    }
  }

  /**
   * The candidates: each name of eligibleGatewayList is the merchant's account(s) for that gateway,
   * or, for a gateway Junction has no account of (the engine's names are opaque), an account that
   * takes every payment, so the engine's client keeps routing over its own gateway set.
   */
  async function candidatesOf(merchantId: string, names: readonly string[] | undefined): Promise<readonly RoutingAccount[] | undefined> {
    if (!names) return undefined;
    const accounts = await deps.accounts(merchantId);
    const out: RoutingAccount[] = [];
    names.forEach((name, index) => {
      // Junction's own gateway names (STRIPE) stay as they are, so the Priority Logic's entries match.
      const own = accounts.filter((a) => a.gateway.toUpperCase() === name.toUpperCase());
      if (own.length) out.push(...own);
      else {
        out.push({
          accountId: `engine:${name}`,
          gateway: name,
          gatewayId: GATEWAY_IDS[name as keyof typeof GATEWAY_IDS] ?? 0,
          gatewayReferenceId: null,
          enabled: true,
          paymentMethodTypes: [],
          paymentMethods: [],
          cardBrands: [],
          currencies: [],
          priority: 1_000 + index,
        });
      }
    });
    return out;
  }

  return {
    now,
    engineMerchantFor,
    actorFor,
    routingCall,
    candidatesOf,
    /** Drop what this instance keeps of an engine merchant (after it or its configs change). */
    forget(engineMerchantId: string): void {
      merchantCache.delete(engineMerchantId);
      for (const key of configCache.keys()) if (key.startsWith(`${engineMerchantId}\u0001`)) configCache.delete(key);
    },
    configOf: (engineMerchantId: string, kind: EngineConfigKind) => cached(configCache, `${engineMerchantId}\u0001${kind}`, () => deps.store.getConfig(engineMerchantId, kind)),
    /** Where a decision's context is kept, by engine merchant and payment. */
    contextKey: (engineMerchantId: string, paymentId: string) => `${engineMerchantId}\u0001${paymentId}`,
    /** The engine merchant's routing rule of that id, or null (another merchant's looks absent). */
    async ruleOf(engineMerchantId: string, id: unknown): Promise<EngineRoutingRule | null> {
      if (typeof id !== 'string') return null;
      const rule = await deps.store.getRoutingRule(id);
      return rule && rule.engineMerchantId === engineMerchantId ? rule : null;
    },
  };
}

export type EngineAccess = ReturnType<typeof createEngineAccess>;
