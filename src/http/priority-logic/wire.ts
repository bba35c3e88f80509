// Wire shapes of the Priority Logic API (TypeBox schemas, so they land in /openapi.json) and the
// converters from domain objects. Logic metadata is snake_case; `definition` is the engine's
// LogicDefinition as stored (camelCase, the same as the export document).
import { Type, type Static } from 'typebox';
import type { LogicMetrics, MetricsReport } from '../../core/priority-logic/priority-logic-service.ts';
import type { AuditEntry, Explanation, PriorityLogic, RoutingConfig, RuleAnalysis, User } from '../../core/priority-logic/types.ts';
import { decisionWire } from '../../core/payments/decision-wire.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const KIND_LABELS: Record<string, string> = { DEFAULT: 'Default', VOLUME: 'Volume Based', RULES: 'Rule Based', CODE: 'Code Based' };
export const STATUS_LABELS: Record<string, string> = { ACTIVE: 'Active', INACTIVE: 'Inactive', STAGGERED: 'Staggered', PENDING_APPROVAL: 'Pending Approval', REJECTED: 'Rejected' };

export const Loose = Type.Object({}, { additionalProperties: true });

export const RoutingBody = Type.Object({
  active_logic_id: Nullable(Type.String()),
  staggered_logic_id: Nullable(Type.String()),
  stagger_percentage: Nullable(Type.Number()),
  fallback_logic_id: Nullable(Type.String()),
  version: Type.Integer({ description: 'Send it back as routing_version on release actions' }),
  updated: Type.String(),
});

export const LogicBody = Type.Object({
  id: Type.String({ examples: ['pl_0123abcd'] }),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Type.String({ enum: ['DEFAULT', 'VOLUME', 'RULES', 'CODE'] }),
  type: Type.String({ description: 'Display label of the kind' }),
  status: Type.String({ enum: ['INACTIVE', 'ACTIVE', 'STAGGERED', 'PENDING_APPROVAL', 'REJECTED'] }),
  status_label: Type.String(),
  is_fallback: Type.Boolean(),
  stagger_percentage: Nullable(Type.Number()),
  enforce: Type.Boolean(),
  ranking: Type.Object({ mode: Type.String() }, { description: 'Success-rate ranking of the output' }),
  version: Type.Integer({ description: 'Lineage version: 1, or the source version + 1 for a copy' }),
  row_version: Type.Integer({ description: 'Send it back as `version` (or If-Match) on every change' }),
  definition: Type.Unknown({ description: "The routing engine's LogicDefinition" }),
  created_by: Type.String(),
  approved_by: Nullable(Type.String()),
  approved_at: Nullable(Type.String()),
  copied_from: Nullable(Type.String()),
  created: Type.String(),
  updated: Type.String(),
});

/** A logic just saved (create, copy, import), with the rule analysis' warnings (rule-based logics; never blocking). */
export const SavedLogicBody = Type.Object({
  ...LogicBody.properties,
  warnings: Type.Array(Loose, { description: 'Rule analysis warnings (as POST /v1/priority-logics/analyze answers them); empty for other kinds' }),
});

export const ChangeResult = Type.Object({ logic: LogicBody, routing: RoutingBody });

export const LogicInputBody = Type.Object(
  {
    name: Type.Optional(Type.Unknown({ description: 'Configuration name, unique per merchant (case-insensitive)' })),
    description: Type.Optional(Type.Unknown()),
    kind: Type.Optional(Type.Unknown({ description: 'DEFAULT | VOLUME | RULES | CODE' })),
    enforce: Type.Optional(Type.Unknown({ description: 'Only the gateways the logic names may be used' })),
    defaultGateways: Type.Optional(Type.Unknown({ description: 'Ordered fallback sequence [{gateway, gatewayReferenceId?}], at least 1' })),
    definition: Type.Optional(Type.Unknown({ description: '{splits} (VOLUME), {rules} (RULES), {code} (CODE) or {} (DEFAULT)' })),
    ranking: Type.Optional(Type.Unknown({ description: "{mode: 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE'}: success-rate ranking of the logic's output (absent: OFF)" })),
  },
  { additionalProperties: false },
);

export const CopyBody = Type.Object(
  {
    ...LogicInputBody.properties,
    version: Type.Optional(Type.Integer({ description: "The source's row_version you saw (optional)" })),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ description: "The logic's row_version you saw (or send If-Match)" })),
    routing_version: Type.Optional(Type.Integer({ description: 'The routing configuration version you saw' })),
  },
  { additionalProperties: false },
);

export const RejectBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ description: "The logic's row_version you saw (or send If-Match)" })),
    routing_version: Type.Optional(Type.Integer({ description: 'The routing configuration version you saw' })),
    reason: Type.Optional(Type.String({ description: 'Why the logic is rejected (required, 1 to 500 characters); kept in the audit trail' })),
  },
  { additionalProperties: false },
);

export const StaggerBody = Type.Object(
  {
    ...ActionBody.properties,
    percentage: Type.Number({ minimum: 1, maximum: 99, description: 'Share of orders for the staggered logic (sticky per order)' }),
    release_guard: Type.Optional(
      Type.Unknown({
        description:
          'A guard that rolls the release back when the new logic is shown worse: {metric: SUCCESS_RATE | COST | LATENCY, tolerance ' +
          "(points, bps or ms), detectable_effect, min_sample, planned_sample (default: the design's), alpha (false rollback rate, default 0.05), auto_promote}",
      }),
    ),
  },
  { additionalProperties: false },
);

const GuardArm = Type.Object({ n: Type.Integer(), mean: Nullable(Type.Number()) });

export const GuardEvidenceBody = Type.Object({
  verdict: Type.String({ description: 'COLLECTING | WATCHING | WORSE | PASSED' }),
  metric: Type.String(),
  new_logic: GuardArm,
  old_logic: GuardArm,
  worse_by: Nullable(Type.Number({ description: "How much worse the new logic is, in the metric's units (negative: better)" })),
  interval: Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }, { description: 'Always-valid (1 - alpha) interval of worse_by' })),
  likelihood_ratio: Type.Number(),
  threshold: Type.Number({ description: 'The guard rolls back when likelihood_ratio reaches it (1 / alpha)' }),
  summary: Type.String({ description: 'The evidence in plain words' }),
});

export const ReleaseGuardBody = Type.Object({
  id: Type.String(),
  logic_id: Type.String(),
  baseline_logic_id: Type.String(),
  stagger_percentage: Type.Number(),
  state: Type.String({ description: 'RUNNING | ROLLED_BACK | PASSED | PROMOTED | ENDED' }),
  end_reason: Nullable(Type.String()),
  metric: Type.String(),
  tolerance: Type.Number(),
  detectable_effect: Type.Number(),
  min_sample: Type.Integer(),
  planned_sample: Type.Integer(),
  alpha: Type.Number(),
  auto_promote: Type.Boolean(),
  evidence: Nullable(GuardEvidenceBody),
  started: Type.String(),
  last_evaluated: Nullable(Type.String()),
  ended: Nullable(Type.String()),
});

export const AnalyzeBody = Type.Object(
  {
    logic_id: Type.Optional(Type.String()),
    logic: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'A draft, as in create' })),
  },
  { additionalProperties: false },
);

/** The rule analysis in the API's words (snake_case; rule numbers from 0 as in the logic's rules array). */
export function ruleAnalysisToWire(a: RuleAnalysis & { logicId: string | null; kind: string }): Record<string, unknown> {
  return {
    logic_id: a.logicId,
    kind: a.kind,
    analysed: a.analysed,
    warnings: a.warnings.map((w) => ({
      code: w.code,
      rule_index: w.rule,
      rule_name: w.ruleName,
      message: w.message,
      ...(w.otherRule !== undefined ? { other_rule_index: w.otherRule } : {}),
      ...(w.gateway !== undefined ? { gateway: w.gateway } : {}),
      ...(w.witness ? { witness: w.witness.map((f) => ({ dimension: f.dimension, value: f.value, description: f.description })) } : {}),
    })),
  };
}

export const DryRunBody = Type.Object(
  {
    logic_id: Type.Optional(Type.String()),
    logic: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'A draft, as in create' })),
    payment: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'Sample payment: payment_method_type, payment_method, card_number or card_bin, card_brand, card_type, card_issuer, amount, currency, udf1..udf10, metadata, gateway_id ...',
      },
    ),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ enum: ['INACTIVE', 'ACTIVE', 'STAGGERED', 'PENDING_APPROVAL', 'REJECTED'] })),
  kind: Type.Optional(Type.String({ enum: ['DEFAULT', 'VOLUME', 'RULES', 'CODE'] })),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(Type.String({ enum: ['name', 'created', 'updated', 'status'] })),
  order: Type.Optional(Type.String({ enum: ['asc', 'desc'] })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
});

export const AuditBody = Type.Object({
  id: Type.String(),
  logic_id: Nullable(Type.String()),
  actor_id: Type.String(),
  actor_role: Type.String(),
  actor_email: Nullable(Type.String({ description: 'The user behind actor_id; null for the API key' })),
  action: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  request_id: Nullable(Type.String()),
  created: Type.String(),
});

export const UserBody = Type.Object({
  id: Type.String(),
  merchant_id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  created: Type.String(),
  disabled: Type.Boolean(),
});

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function routingToWire(r: RoutingConfig | null): Static<typeof RoutingBody> {
  return {
    active_logic_id: r?.activeLogicId ?? null,
    staggered_logic_id: r?.staggeredLogicId ?? null,
    stagger_percentage: r?.staggerPercentage ?? null,
    fallback_logic_id: r?.fallbackLogicId ?? null,
    // A merchant without a routing row yet: its row starts at version 1.
    version: r?.version ?? 1,
    updated: (r?.updatedAt ?? new Date(0)).toISOString(),
  };
}

export function logicToWire(l: PriorityLogic, routing: RoutingConfig | null): Static<typeof LogicBody> {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    kind: l.kind,
    type: KIND_LABELS[l.kind] ?? l.kind,
    status: l.status,
    status_label: STATUS_LABELS[l.status] ?? l.status,
    is_fallback: routing?.fallbackLogicId === l.id,
    stagger_percentage: routing?.staggeredLogicId === l.id ? routing.staggerPercentage : null,
    enforce: l.definition.enforce,
    ranking: { mode: l.definition.ranking?.mode ?? 'OFF' },
    version: l.version,
    row_version: l.rowVersion,
    definition: l.definition,
    created_by: l.createdBy,
    approved_by: l.approvedBy,
    approved_at: iso(l.approvedAt),
    copied_from: l.copiedFrom,
    created: l.createdAt.toISOString(),
    updated: l.updatedAt.toISOString(),
  };
}

export function auditToWire(a: AuditEntry): Static<typeof AuditBody> {
  return {
    id: a.id,
    logic_id: a.logicId,
    actor_id: a.actorId,
    actor_role: a.actorRole,
    actor_email: a.actorEmail ?? null,
    action: a.action,
    before: a.before,
    after: a.after,
    request_id: a.requestId,
    created: a.createdAt.toISOString(),
  };
}

export function userToWire(u: User): Static<typeof UserBody> {
  return { id: u.id, merchant_id: u.merchantId, email: u.email, name: u.name, role: u.role, created: u.createdAt.toISOString(), disabled: u.disabledAt !== null };
}

function metricsToWire(m: LogicMetrics): Record<string, unknown> {
  return {
    logic_id: m.logicId,
    name: m.name,
    kind: m.kind,
    type: m.kind ? (KIND_LABELS[m.kind] ?? m.kind) : null,
    status: m.status,
    roles: m.roles,
    decided: m.decided,
    traffic_percent: m.trafficPercent,
    gateway_undecided_percent: m.undecidedPercent,
    success_rate: m.successRate,
    settled: m.settled,
    succeeded: m.succeeded,
    volume: { count: m.volume.count, amounts: m.volume.amounts },
    latency_ms: m.latencyMs,
    ...(m.trend ? { trend: m.trend.map((p) => ({ from: p.from.toISOString(), decided: p.decided, success_rate: p.successRate })) } : {}),
  };
}

export function metricsReportToWire(r: MetricsReport): Record<string, unknown> {
  return { from: r.from.toISOString(), to: r.to.toISOString(), total_decided: r.totalDecided, routing: routingToWire(r.routing), logics: r.logics.map(metricsToWire) };
}

export function explanationToWire(e: Explanation & { logicId: string | null }): Record<string, unknown> {
  return {
    logic_id: e.logicId,
    validation_errors: e.validationErrors.map((v) => ({ code: v.code, field: v.field, message: v.message })),
    matched_rule: e.matchedRule,
    rules: e.rules,
    decision: decisionWire(e.decision, { accounts: false }),
    consistent: e.consistent,
  };
}
