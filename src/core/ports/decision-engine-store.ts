// The storage port of the decision engine compatibility layer (issue 19): the engine's merchant
// accounts, each mapped to one Junction merchant, and their stored configurations.
export interface EngineMerchant {
  engineMerchantId: string;
  merchantId: string;
  deciderInput: string | null;
  debitRoutingEnabled: boolean;
  /** A Hyperswitch profile's ancestry, written by /admin/hierarchy/sync (absent for a standalone merchant). */
  hierarchy?: EngineHierarchy | null;
  createdAt: Date;
}

/** The engine's `Hierarchy` (src/types/merchant/hierarchy.rs): the organization and merchant a profile belongs to. */
export interface EngineHierarchy {
  v: number;
  hs_org_id: string;
  hs_org_name?: string;
  hs_merchant_id: string;
  hs_merchant_name?: string;
  profile_name?: string;
  synced_at?: string;
}

/** A routing rule of the engine's API: a Priority Logic with the engine's algorithm JSON. */
export interface EngineRoutingRule {
  ruleId: string;
  engineMerchantId: string;
  merchantId: string;
  logicId: string;
  name: string;
  description: string | null;
  algorithmFor: string;
  algorithm: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
  modifiedAt: Date;
}

export type EngineConfigKind = 'successRate' | 'elimination' | 'debitRouting' | 'srDimension';

export interface DecisionEngineStore {
  getEngineMerchant(engineMerchantId: string): Promise<EngineMerchant | null>;
  /** False when the engine id is taken. */
  insertEngineMerchant(m: Omit<EngineMerchant, 'createdAt'>): Promise<boolean>;
  /** Deletes the mapping and its configurations; false when absent. */
  deleteEngineMerchant(engineMerchantId: string): Promise<boolean>;
  setDebitRouting(engineMerchantId: string, enabled: boolean): Promise<void>;
  setHierarchy(engineMerchantId: string, hierarchy: EngineHierarchy): Promise<void>;
  /** Every engine merchant's id (the operator's hierarchy reconciliation). */
  listEngineMerchantIds(): Promise<string[]>;
  getConfig(engineMerchantId: string, kind: EngineConfigKind): Promise<Record<string, unknown> | null>;
  /** Inserts (mode 'create', false when it exists), updates (mode 'update', false when absent) or upserts. */
  putConfig(engineMerchantId: string, merchantId: string, kind: EngineConfigKind, config: Record<string, unknown>, mode: 'create' | 'update' | 'upsert'): Promise<boolean>;
  deleteConfig(engineMerchantId: string, kind: EngineConfigKind): Promise<boolean>;
  /** False when the rule id is taken. */
  insertRoutingRule(rule: Omit<EngineRoutingRule, 'createdAt' | 'modifiedAt'>): Promise<boolean>;
  getRoutingRule(ruleId: string): Promise<EngineRoutingRule | null>;
  listRoutingRules(engineMerchantId: string): Promise<EngineRoutingRule[]>;
  updateRoutingRule(ruleId: string, patch: Pick<EngineRoutingRule, 'logicId' | 'name' | 'description' | 'algorithm' | 'metadata'>): Promise<void>;
  deleteRoutingRule(ruleId: string): Promise<boolean>;
}

/** What a decision remembers for its feedback: the payment's scoring segment and the gateways offered. */
export interface DecisionContext {
  merchantId: string;
  segment: Record<string, string | number | null>;
  gateways: string[];
  /** Junction's name of a gateway the client spells otherwise (stripe -> STRIPE). */
  names?: Record<string, string>;
  atMillis: number;
}

/** Decisions by (engine merchant, paymentId), kept a day: feedback applies only after a matching decision. */
export interface DecisionContextStore {
  put(key: string, context: DecisionContext): Promise<void>;
  get(key: string): Promise<DecisionContext | null>;
}
