// Backtests of a Priority Logic on the merchant's stored past payments (issue 17, item 1), as jobs.
// start() checks the input, counts the window's payments and stores a QUEUED job, then runs it in
// this process after answering: the payments are read in keyset pages (constant memory), each is
// rebuilt into the engine's input and decided by the chosen logic through the real engine (as a dry
// run: no ranking, no live state), and the pair (what was decided, what the draft decides) is fed
// to the counterfactual estimate. Progress is written after every page, so any instance can answer
// a GET from the table. Every read is scoped to the merchant.
import { SUCCEEDED_TXN_STATUSES } from '../status.ts';
import { readDecisionRecord, type GatewayAccount, type LogicDefinition, type LogicSlot, type RoutingEngine } from '../../routing/index.ts';
import { feeFor, scoringConfig, type ScoringConfig } from '../../routing/scoring/index.ts';
import { newId } from '../crypto.ts';
import { AppError, invalidField, missingField } from '../errors.ts';
import type { BacktestStore, PaymentCursor, StoredPayment } from '../ports/backtest-store.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { hasRight } from '../priority-logic/priority-logic-service.ts';
import type { Actor } from '../priority-logic/types.ts';
import { gatewayFeesFrom } from '../scoring/fees.ts';
import { segmentOfRequest } from '../scoring/segment.ts';
import { BacktestAggregator } from './backtest-report.ts';
import { loggedPropensities, routingPaymentOf, segmentOf } from './replay.ts';
import type { Backtest } from './types.ts';

export const MAX_WINDOW_DAYS = 90;
/** Backtests a merchant may have queued or running at once (each reads up to 90 days of payments). */
export const MAX_ACTIVE_PER_MERCHANT = 2;
/** A job not finished after this long is taken as dead (its process stopped) and no longer counts. */
const ACTIVE_HORIZON_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

/** Outcomes that count as a success (the metrics' set). */
const SUCCEEDED: ReadonlySet<string> = new Set(SUCCEEDED_TXN_STATUSES);

export interface BacktestFeeAccount {
  accountId: string;
  gateway: string;
  fees: Readonly<Record<string, number>>;
}

export interface BacktestServiceDeps {
  store: BacktestStore;
  logics: Pick<PriorityLogicStore, 'getLogic' | 'getLogics'>;
  engine: RoutingEngine;
  /** The merchant's gateway accounts as routing sees them (today's: past accounts are not kept). */
  gatewayAccounts(merchantId: string): Promise<readonly GatewayAccount[]>;
  /** The merchant's accounts' fee schedules (for the cost figures). */
  feeAccounts(merchantId: string): Promise<readonly BacktestFeeAccount[]>;
  /** Payments per page (default 2,000). */
  pageSize?: number;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export function createBacktestService(deps: BacktestServiceDeps) {
  const { store, engine } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const pageSize = deps.pageSize ?? 2_000;
  const running = new Set<Promise<void>>();
  let closed = false;

  const requireRead = (actor: Actor): void => {
    if (!hasRight(actor, 'read')) throw new AppError('UNAUTHORIZED', 'You do not have access');
  };

  const requireLogic = async (merchantId: string, logicId: string) => {
    const logic = await deps.logics.getLogic(merchantId, logicId);
    if (!logic) throw new AppError('RESOURCE_NOT_FOUND', 'Priority Logic not found', { fields: [{ field_name: 'id', reason: 'no such Priority Logic for this merchant' }] });
    return logic;
  };

  /** Fee of a payment at an account (by id, else the gateway's first account with fees), rounded to minor units. */
  function feeModel(accounts: readonly BacktestFeeAccount[]) {
    const byAccount = new Map<string, ScoringConfig>();
    const byGateway = new Map<string, ScoringConfig>();
    for (const a of accounts) {
      const f = gatewayFeesFrom(a.fees);
      if (!f) continue;
      const config = scoringConfig({ fees: { [a.gateway]: f } });
      byAccount.set(a.accountId, config);
      if (!byGateway.has(a.gateway)) byGateway.set(a.gateway, config);
    }
    return (gateway: string, accountId: string | null | undefined, segment: ReturnType<typeof segmentOfRequest>): number | null => {
      const config = (accountId ? byAccount.get(accountId) : undefined) ?? byGateway.get(gateway);
      const fee = config ? feeFor(gateway, segment, config) : null;
      return fee === null ? null : Math.round(fee);
    };
  }

  async function run(b: Backtest, definition: LogicDefinition, logicName: string): Promise<void> {
    const merchantId = b.merchantId;
    const slot: LogicSlot = { id: b.logicId, name: logicName, version: b.logicVersion, compiled: engine.compile(definition) };
    const isAsync = slot.compiled.evaluateAsync !== undefined;
    const aggregator = new BacktestAggregator();
    let skipped = 0;
    try {
      // Counted here rather than before answering the POST: a long window takes a moment to count.
      const total = await store.countPayments(merchantId, { from: b.from, to: b.to });
      await store.progress(merchantId, b.id, 'RUNNING', 0, total);
      const [accounts, feeAccounts] = await Promise.all([deps.gatewayAccounts(merchantId), deps.feeAccounts(merchantId)]);
      const fee = feeModel(feeAccounts);
      const loggedLogics = new Map<string, LogicDefinition | null>();
      const window = { from: b.from, to: b.to };
      const fetchAfter = (cursor: PaymentCursor | null): Promise<StoredPayment[]> => store.pagePayments(merchantId, window, cursor, pageSize);
      let next: Promise<StoredPayment[]> | null = fetchAfter(null);
      let progress: Promise<void> = Promise.resolve();
      while (next) {
        if (closed) throw new Error('the service stopped before the backtest finished');
        const page: StoredPayment[] = await next;
        // The next page is read while this one is replayed (the database and this process work at once).
        const last = page[page.length - 1];
        next = last && page.length === pageSize ? fetchAfter({ at: last.cursorAt, id: last.id }) : null;
        // Keep a failed prefetch from being reported as unhandled while this page is replayed.
        next?.catch(() => undefined);
        // The definitions of the logics that made this page's decisions (immutable: cached by id).
        const unknown = [...new Set(page.map((p) => p.decision.logicId).filter((id): id is string => id !== null && !loggedLogics.has(id)))];
        if (unknown.length > 0) {
          const found = new Map((await deps.logics.getLogics(merchantId, unknown)).map((l) => [l.id, l.definition]));
          for (const id of unknown) loggedLogics.set(id, found.get(id) ?? null);
        }
        for (let i = 0; i < page.length; i++) {
          // Other requests of this process get a turn every few hundred payments.
          if (i > 0 && i % 250 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          const p = page[i]!;
          const actual = p.decision;
          const used = p.gateway ?? actual.decidedGateway;
          if (!used) {
            skipped++;
            continue;
          }
          const payment = routingPaymentOf(merchantId, p, accounts);
          const draftDecision = isAsync ? await engine.decideAsync({ payment, active: slot }) : engine.decide({ payment, active: slot });
          const draft = draftDecision.decidedGateway;
          // The draft is the logic that decided: its choice is that decision itself, not a fresh draw.
          const sameLogic = actual.logicId === b.logicId;
          const chances = sameLogic
            ? { propensity: null, draftPropensity: null }
            : loggedPropensities(actual, actual.logicId ? loggedLogics.get(actual.logicId) ?? null : null, used, draft);
          const segment = segmentOfRequest(payment);
          aggregator.add({
            txnId: p.id, orderId: p.orderId, createdAtMs: p.createdAtMs, amount: p.amount, currency: p.currency,
            paymentMethodType: p.paymentMethodType, paymentMethod: p.paymentMethod, segment: segmentOf(p), status: p.status,
            success: SUCCEEDED.has(p.status), used, ...chances, draftDecision,
            actualFeeMinor: fee(used, p.gatewayAccountId, segment),
            draftFeeMinor: draft === null ? null : fee(draft, draftDecision.accountIds[0], segment),
          });
        }
        const done = aggregator.processed + skipped;
        // Progress is written in order, without holding up the next page.
        progress = progress.then(() => store.progress(merchantId, b.id, 'RUNNING', done));
        progress.catch(() => undefined); // awaited (and so reported) after the last page
      }
      await progress;
      // The moved payments shown get their logged decision records, read whole (any stored shape).
      const sample = aggregator.movedSample;
      const records = await store.getDecisions(merchantId, sample.map((m) => m.txnId));
      for (const m of sample) m.actual.decision = readDecisionRecord(records.get(m.txnId));
      const report = aggregator.report({ logic: { id: b.logicId, name: logicName, version: b.logicVersion, kind: definition.kind }, from: b.from, to: b.to, skipped });
      await store.finish(merchantId, b.id, { status: 'DONE', processed: aggregator.processed + skipped, report });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log('error', 'backtest failed', { backtestId: b.id, merchantId, error: message });
      await store.finish(merchantId, b.id, { status: 'FAILED', processed: aggregator.processed + skipped, error: message }).catch(() => undefined);
    } finally {
      slot.compiled.dispose();
    }
  }

  return {
    /** Queues a backtest of a logic (any version or draft of the merchant) over [from, to) and starts it. */
    async start(actor: Actor, logicId: string, input: { from?: Date | undefined; to?: Date | undefined }): Promise<Backtest> {
      // Editors test what they build; approvers test what they are asked to approve (as dry runs).
      if (!hasRight(actor, 'approve') && !hasRight(actor, 'edit')) throw new AppError('UNAUTHORIZED', 'You do not have access');
      if (!input.from) throw missingField('from');
      if (!input.to) throw missingField('to');
      if (Number.isNaN(input.from.getTime())) throw invalidField('from', 'must be an ISO date-time');
      if (Number.isNaN(input.to.getTime())) throw invalidField('to', 'must be an ISO date-time');
      if (!(input.from < input.to)) throw invalidField('to', 'must be after from');
      if (input.to.getTime() - input.from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw invalidField('to', `the window is at most ${MAX_WINDOW_DAYS} days`);
      if (closed) throw new AppError('SERVICE_UNAVAILABLE');
      const logic = await requireLogic(actor.merchantId, logicId);
      if ((await store.countActive(actor.merchantId, new Date(now().getTime() - ACTIVE_HORIZON_MS))) >= MAX_ACTIVE_PER_MERCHANT) {
        throw new AppError('RATE_LIMITED', `At most ${MAX_ACTIVE_PER_MERCHANT} backtests run at once: wait for one to finish`, {
          fields: [{ field_name: 'id', reason: `${MAX_ACTIVE_PER_MERCHANT} backtests of this merchant are already queued or running` }],
        });
      }
      const window = { from: input.from, to: input.to };
      const backtest = await store.insert({ id: newId('bt'), merchantId: actor.merchantId, logicId: logic.id, logicVersion: logic.version, ...window, createdBy: actor.id });
      // Runs after the caller has its answer; the job's state is in the table.
      const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(backtest, logic.definition, logic.name))
        .finally(() => running.delete(job));
      running.add(job);
      return backtest;
    },

    async get(actor: Actor, backtestId: string): Promise<Backtest> {
      requireRead(actor);
      const b = await store.get(actor.merchantId, backtestId);
      if (!b) throw new AppError('RESOURCE_NOT_FOUND', 'Backtest not found', { fields: [{ field_name: 'backtest_id', reason: 'no such backtest for this merchant' }] });
      return b;
    },

    /** The logic's recent backtests, newest first (reports left out: fetch one to read it). */
    async list(actor: Actor, logicId: string, limit = 20): Promise<Backtest[]> {
      requireRead(actor);
      await requireLogic(actor.merchantId, logicId);
      return store.list(actor.merchantId, logicId, Math.min(100, Math.max(1, limit)));
    },

    /** Resolves when every backtest started here has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },

    /** Stops the running backtests at their next page (they end FAILED) and waits for them. */
    async close(): Promise<void> {
      closed = true;
      await this.idle();
    },
  };
}

export type BacktestService = ReturnType<typeof createBacktestService>;
