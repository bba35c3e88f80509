// Decorators that add metrics and spans around the ports the composition root wires together
// (router, connectors, database, sandbox evaluator), so the core and the adapters stay unaware of
// Prometheus and OpenTelemetry. Each passes results and errors through unchanged.
import type { Connector } from '../core/ports/connector.ts';
import type { GatewayRouter, RoutingDecision } from '../core/ports/router.ts';
import type { AsyncCodeEvaluator, CodeEvaluationResult } from '../routing/index.ts';
import type { Db, Sql, SqlParam } from '../storage/db.ts';
import type { MetricsRecorder } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/** The logic kind and evaluation outcome of a decision record. */
export function decisionLabels(decision: RoutingDecision): { logicKind: string; outcome: string; routed: boolean } {
  return { logicKind: decision.record.logic.kind, outcome: decision.record.evaluationStatus, routed: decision.gateways.length > 0 };
}

export function instrumentRouter(router: GatewayRouter, metrics: MetricsRecorder, tracing: Tracing): GatewayRouter {
  return {
    decide: (request) =>
      tracing.inSpan('routing.decide', { 'junction.payment_method_type': request.paymentMethodType, 'junction.candidates': request.gateways.length }, async (span) => {
        const decision = await router.decide(request);
        const labels = decisionLabels(decision);
        metrics.routingDecision(labels.logicKind, labels.routed ? labels.outcome : 'NO_GATEWAY');
        span?.setAttributes({
          'junction.routing.logic_kind': labels.logicKind,
          'junction.routing.outcome': labels.outcome,
          'junction.routing.gateways': decision.gateways.map((g) => g.gateway).join(','),
          'junction.routing.gateway': decision.gateways[0]?.gateway ?? '',
        });
        return decision;
      }),
  };
}

type ConnectorOp = 'authorize' | 'completeAuthentication' | 'syncStatus' | 'capture' | 'void' | 'refund';

/** One span per connector operation (the executor under it keeps deadlines and logs). */
export function tracedConnector(connector: Connector, tracing: Tracing): Connector {
  if (!tracing.enabled) return connector;
  const wrap =
    <A extends unknown[], R>(operation: ConnectorOp, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      tracing.inSpan(`connector.${operation}`, { 'junction.gateway': connector.name, 'junction.connector.operation': operation }, async (span) => {
        const result = await fn(...args);
        const kind = (result as { kind?: unknown } | null)?.kind;
        if (span && typeof kind === 'string') span.setAttribute('junction.connector.outcome', kind);
        return result;
      });
  return {
    ...connector,
    authorize: wrap('authorize', connector.authorize),
    completeAuthentication: wrap('completeAuthentication', connector.completeAuthentication),
    syncStatus: wrap('syncStatus', connector.syncStatus),
    capture: wrap('capture', connector.capture),
    void: wrap('void', connector.void),
    refund: wrap('refund', connector.refund),
  };
}

/** The SQL text as a span attribute: parameters are never in it; literals are blanked all the same. */
export function redactedSql(text: string): string {
  return text
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\b\d{6,}\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

function operationOf(text: string): string {
  return /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
}

/** Database spans inside traced operations (a worker's idle poll starts none). */
export function tracedDb(db: Db, tracing: Tracing): Db {
  if (!tracing.enabled) return db;
  const system = 'postgresql';
  const traceQuery =
    (sql: Sql) =>
    <Row>(text: string, params?: readonly SqlParam[]): Promise<Row[]> => {
      if (!tracing.active()) return sql.query<Row>(text, params);
      const operation = operationOf(text);
      return tracing.inSpan(`db.${operation.toLowerCase()}`, { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': redactedSql(text), 'junction.db.engine': db.engine }, () =>
        sql.query<Row>(text, params),
      );
    };
  const wrapped: Db = {
    engine: db.engine,
    query: traceQuery(db),
    transaction: <T>(fn: (tx: Sql) => Promise<T>): Promise<T> => {
      if (!tracing.active()) return db.transaction(fn);
      return tracing.inSpan('db.transaction', { 'db.system.name': system, 'junction.db.engine': db.engine }, () => db.transaction((tx) => fn({ query: traceQuery(tx) })));
    },
    close: () => db.close(),
  };
  if (db.poolStats) wrapped.poolStats = () => db.poolStats!();
  return wrapped;
}

const TIMEOUT_MESSAGE = /deadline|timed? ?out|overr/i;

/** Counts evaluations of merchant code by result (OK, TIMEOUT or the failure reason). */
export function instrumentEvaluator(evaluator: AsyncCodeEvaluator, metrics: MetricsRecorder): AsyncCodeEvaluator {
  if (!metrics.enabled) return evaluator;
  const resultOf = (r: CodeEvaluationResult): string => (r.ok ? 'OK' : TIMEOUT_MESSAGE.test(r.message) ? 'TIMEOUT' : r.reason);
  return {
    check: (source, owner) => evaluator.check(source, owner),
    load(source) {
      const code = evaluator.load(source);
      return {
        async evaluate(input, owner) {
          const result = await code.evaluate(input, owner);
          metrics.sandboxEvaluation(resultOf(result));
          return result;
        },
        dispose: () => code.dispose(),
      };
    },
  };
}
