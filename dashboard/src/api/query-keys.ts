// Every query key of the dashboard, per resource, in one place. A key starts with its resource, so
// invalidating a prefix (e.g. queryKeys.priorityLogic.all) refreshes every view of it after a change.
// Inputs that change the answer (filters, ids, pages) are part of the key.

export const queryKeys = {
  session: {
    me: () => ['session', 'me'] as const,
  },
  gateways: {
    all: ['gateways'] as const,
    /** GET /v1/dashboard/gateways: the merchant's gateway accounts. */
    accounts: () => ['gateways', 'accounts'] as const,
    /** GET /v1/routing/health. */
    health: () => ['gateways', 'health'] as const,
  },
  analytics: {
    all: ['analytics'] as const,
    report: (query: Record<string, string> | null) => ['analytics', 'report', query] as const,
    live: (seconds: number, step: number) => ['analytics', 'live', { seconds, step }] as const,
  },
  payments: {
    all: ['payments'] as const,
    /** Orders matching a search: an infinite query, one page per next_cursor. */
    orders: (filters: Record<string, string>) => ['payments', 'orders', filters] as const,
    order: (orderId: string) => ['payments', 'order', orderId] as const,
    webhooks: (orderId: string) => ['payments', 'order', orderId, 'webhooks'] as const,
  },
  risk: {
    all: ['risk'] as const,
    config: () => ['risk', 'config'] as const,
    rules: () => ['risk', 'rules'] as const,
    list: (list: string, kind: string, after: string | undefined) => ['risk', 'lists', list, { kind, after: after ?? null }] as const,
    reviews: () => ['risk', 'reviews'] as const,
    blocked: (before: string | undefined) => ['risk', 'blocked', before ?? null] as const,
    blockRate: (range: string) => ['risk', 'block-rate', range] as const,
    audit: (limit: number) => ['risk', 'audit', limit] as const,
  },
  priorityLogic: {
    /** Everything of the Priority Logic API: invalidated after any release action, create or delete. */
    all: ['priority-logic'] as const,
    list: (query: Record<string, unknown>) => ['priority-logic', 'list', query] as const,
    logic: (id: string) => ['priority-logic', 'logic', id] as const,
    routing: () => ['priority-logic', 'routing'] as const,
    metrics: (window: { from?: string; to?: string; trendBuckets?: number } = {}) => ['priority-logic', 'metrics', window] as const,
    audit: (logicId: string) => ['priority-logic', 'audit', logicId] as const,
    /** A logic's recent backtests, and one backtest (polled while it runs). */
    backtests: (logicId: string) => ['priority-logic', 'backtests', logicId] as const,
    backtest: (backtestId: string) => ['priority-logic', 'backtest', backtestId] as const,
    /** A logic's versions (History's Compare versions), per row version. */
    lineage: (logicId: string, rowVersion: number) => ['priority-logic', 'lineage', logicId, rowVersion] as const,
    /** A logic's release guards, and the merchant's latest (the rollback banner). */
    guards: (logicId: string) => ['priority-logic', 'guards', logicId] as const,
    recentGuards: () => ['priority-logic', 'guards', '*recent'] as const,
    analysis: (logicId: string) => ['priority-logic', 'analysis', logicId] as const,
    /** The rule analysis of a draft being edited (the draft is the key: the same draft is not asked twice). */
    draftAnalysis: (draft: unknown) => ['priority-logic', 'analysis', 'draft', draft] as const,
    /** The gateways a logic may name (GET /v1/dashboard/gateways, as the Priority Logic pages read it). */
    gateways: () => ['gateways', 'accounts', 'priority-logic'] as const,
  },
} as const;
