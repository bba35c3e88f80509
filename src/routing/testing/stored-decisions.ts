// Decision records as transactions stored them before the one typed record (2026-12): the default
// router's snake_case record and the engine's camelCase one, each with what ranking and the
// payment path's fallback attempts added. Not a test file itself.

/** The default router's record, ranked, on a fallback attempt. */
export const OLD_DEFAULT_RANKED = {
  logic: { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
  evaluation_status: 'SUCCESS',
  failure_reason: 'NO_ERROR',
  preferred_gateway: null,
  eligibility_drops: [
    { gateway: 'SIM_DELTA', account_id: 'acc_d', reason: 'DISABLED' },
    { gateway: 'SIM_ALPHA', account_id: 'acc_a2', reason: 'OTHER_GATEWAY_REFERENCE_ID' },
  ],
  final_gateways: ['SIM_ALPHA', 'SIM_BETA'],
  decided_gateway: 'SIM_BETA',
  ranking: {
    mode: 'WITHIN_LOGIC',
    applied: true,
    explored: false,
    segment: { payment_method_type: 'CARD', payment_method: 'VISA', card_brand: 'VISA', currency: 'INR', amount: 10000 },
    logic_order: ['SIM_ALPHA', 'SIM_BETA'],
    gateways: [
      { gateway: 'SIM_BETA', account_id: 'acc_b', label: 'EXPLOIT', score: 0.91, mean: 0.95, health: 'UP', evidence: 12.5, fee_minor: null },
      { gateway: 'SIM_ALPHA', account_id: 'acc_a', label: 'DEFAULT' },
    ],
  },
  fallback_attempt: 1,
  previous_attempts: [{ gateway: 'SIM_BETA', code: '51', unified: 'INSUFFICIENT_FUNDS', retryable: true }],
};

/** The default router's record when nothing could take the payment. */
export const OLD_DEFAULT_NONE = {
  logic: { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
  evaluation_status: 'FAILURE',
  failure_reason: 'NO_ELIGIBLE_GATEWAY',
  preferred_gateway: 'SIM_BETA',
  eligibility_drops: [{ gateway: 'SIM_BETA', account_id: 'acc_b', reason: 'CURRENCY_NOT_SUPPORTED' }],
  final_gateways: [],
  decided_gateway: null,
  ranking: { mode: 'OFF', applied: false, reason: 'NO_GATEWAY' },
};

/** The engine's record as the Priority Logic router stored it, health-ordered. */
export const OLD_ENGINE_RANKED = {
  logic: { id: 'pl_1', name: 'cards', version: 2, kind: 'RULES', role: 'STAGGERED' },
  primary: { name: 'cards', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
  evaluationStatus: 'RULE_MATCHED',
  producedList: [{ gateway: 'SIM_GAMMA' }, { gateway: 'SIM_BETA', gatewayReferenceId: 'r1' }],
  enforced: false,
  eligibilityDrops: [{ gateway: 'SIM_GAMMA', gatewayReferenceId: null, reason: 'CARD_BRAND_NOT_SUPPORTED', source: 'LOGIC' }],
  finalGateways: [
    { gateway: 'SIM_BETA', gatewayReferenceId: 'r1' },
    { gateway: 'SIM_ALPHA', gatewayReferenceId: null },
  ],
  matchedRule: { index: 0, name: 'visa' },
  preferredGateway: { gateway: 'SIM_ALPHA', applied: true },
  staggerBucket: 1234,
  decidedGateway: 'SIM_ALPHA',
  accountIds: ['acc_a', 'acc_b1'],
  ranking: {
    mode: 'OFF',
    applied: false,
    health_applied: true,
    explored: false,
    logic_order: ['SIM_BETA', 'SIM_ALPHA'],
    gateways: [
      { gateway: 'SIM_ALPHA', account_id: 'acc_a', label: 'DEFAULT' },
      { gateway: 'SIM_BETA', account_id: 'acc_b1', label: 'ELIMINATED', mean: 0.1, health: 'DOWN' },
    ],
  },
};

/** The engine's record when both logics failed, scores unavailable, on a fallback attempt. */
export const OLD_ENGINE_FAILED = {
  logic: { id: 'pl_2', name: 'safe', version: 1, kind: 'CODE', role: 'DEFAULT_GATEWAYS' },
  primary: { name: 'code', status: 'FAILURE', failure_reason: 'PL_EVALUATION_FAILED', message: 'deadline exceeded' },
  evaluationStatus: 'LOGIC_FAILED',
  producedList: [{ gateway: 'SIM_DELTA' }],
  enforced: false,
  eligibilityDrops: [{ gateway: 'SIM_DELTA', gatewayReferenceId: null, reason: 'DISABLED', source: 'LOGIC' }],
  finalGateways: [],
  fallback: { name: 'safe', status: 'FAILURE', failure_reason: 'COMPILATION_ERROR', message: 'SyntaxError' },
  failureReason: 'NO_ELIGIBLE_GATEWAY',
  decidedGateway: null,
  accountIds: [],
  ranking: { mode: 'DEFAULT', applied: false, reason: 'SCORES_UNAVAILABLE', error: 'connect ECONNREFUSED' },
  fallback_attempt: 2,
  previous_attempts: [{ gateway: 'SIM_ALPHA', code: '91', unified: null, retryable: true }],
};

export const OLD_STORED_DECISIONS = { OLD_DEFAULT_RANKED, OLD_DEFAULT_NONE, OLD_ENGINE_RANKED, OLD_ENGINE_FAILED };
