// Runs one queued backtest job: the payments of the window are read in keyset pages (constant
// memory), each is rebuilt into the engine's input and decided by the chosen logic through the real
// engine (as a dry run: no ranking, no live state), and the pair (what was decided, what the draft
// decides) is fed to the counterfactual estimate. Progress is written after every page.
import { SUCCEEDED_TXN_STATUSES } from '../status.ts';
import { readDecisionRecord, type GatewayAccount, type LogicDefinition, type LogicSlot, type RoutingEngine } from '../../routing/index.ts';
import type { BacktestStore, PaymentCursor, StoredPayment } from '../ports/backtest-store.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { segmentOfRequest } from '../routing-intelligence/segment.ts';
import { BacktestAggregator } from './backtest-report.ts';
import { feeModel, type BacktestFeeAccount, type FeeModel } from './fee-model.ts';
import { loggedPropensities, routingPaymentOf, segmentOf } from './replay.ts';
import type { Backtest } from './types.ts';

/** Outcomes that count as a success (the metrics' set). */
const SUCCEEDED: ReadonlySet<string> = new Set(SUCCEEDED_TXN_STATUSES);

export interface RunBacktestDeps {
  store: BacktestStore;
  logics: Pick<PriorityLogicStore, 'getLogics'>;
  engine: RoutingEngine;
  gatewayAccounts(merchantId: string): Promise<readonly GatewayAccount[]>;
  feeAccounts(merchantId: string): Promise<readonly BacktestFeeAccount[]>;
  pageSize: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** True once the service is closing: the job stops at its next page. */
  closed(): boolean;
}

/** What replaying one page needs: the job, the draft, the merchant's accounts and fees, and the logged logics seen so far. */
interface PageReplay {
  b: Backtest;
  slot: LogicSlot;
  engine: RoutingEngine;
  accounts: readonly GatewayAccount[];
  fee: FeeModel;
  loggedLogics: Map<string, LogicDefinition | null>;
  aggregator: BacktestAggregator;
  /** Payments skipped so far (no gateway used), counted as they come (a failed run reports them too). */
  tally: { skipped: number };
}

/** Replays one page into the aggregator. */
async function replayPage(r: PageReplay, page: StoredPayment[]): Promise<void> {
  const { b, slot, engine, accounts, fee, loggedLogics, aggregator } = r;
  const merchantId = b.merchantId;
  const isAsync = slot.compiled.evaluateAsync !== undefined;
  for (let i = 0; i < page.length; i++) {
    // Other requests of this process get a turn every few hundred payments.
    if (i > 0 && i % 250 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const p = page[i]!;
    const actual = p.decision;
    const used = p.gateway ?? actual.decidedGateway;
    if (!used) {
      r.tally.skipped++;
      continue;
    }
    const payment = routingPaymentOf(merchantId, p, accounts);
    const draftDecision = isAsync ? await engine.decideAsync({ payment, active: slot }) : engine.decide({ payment, active: slot });
    const draft = draftDecision.decidedGateway;
    // The draft is the logic that decided: its choice is that decision itself, not a fresh draw.
    const sameLogic = actual.logicId === b.logicId;
    const chances = sameLogic ? { propensity: null, draftPropensity: null } : loggedPropensities(actual, actual.logicId ? (loggedLogics.get(actual.logicId) ?? null) : null, used, draft);
    const segment = segmentOfRequest(payment);
    aggregator.add({
      txnId: p.id,
      orderId: p.orderId,
      createdAtMs: p.createdAtMs,
      amount: p.amount,
      currency: p.currency,
      paymentMethodType: p.paymentMethodType,
      paymentMethod: p.paymentMethod,
      segment: segmentOf(p),
      status: p.status,
      success: SUCCEEDED.has(p.status),
      used,
      ...chances,
      draftDecision,
      actualFeeMinor: fee(used, p.gatewayAccountId, segment),
      draftFeeMinor: draft === null ? null : fee(draft, draftDecision.accountIds[0], segment),
    });
  }
}

/** Runs the job to DONE (with its report) or FAILED (with the reason); never rejects. */
export async function runBacktest(deps: RunBacktestDeps, b: Backtest, definition: LogicDefinition, logicName: string): Promise<void> {
  const { store, engine, pageSize } = deps;
  const merchantId = b.merchantId;
  const slot: LogicSlot = { id: b.logicId, name: logicName, version: b.logicVersion, compiled: engine.compile(definition) };
  const aggregator = new BacktestAggregator();
  const tally = { skipped: 0 };
  try {
    // Counted here rather than before answering the POST: a long window takes a moment to count.
    const total = await store.countPayments(merchantId, { from: b.from, to: b.to });
    await store.progress(merchantId, b.id, 'RUNNING', 0, total);
    const [accounts, feeAccounts] = await Promise.all([deps.gatewayAccounts(merchantId), deps.feeAccounts(merchantId)]);
    const r: PageReplay = { b, slot, engine, accounts, fee: feeModel(feeAccounts), loggedLogics: new Map(), aggregator, tally };
    const window = { from: b.from, to: b.to };
    const fetchAfter = (cursor: PaymentCursor | null): Promise<StoredPayment[]> => store.pagePayments(merchantId, window, cursor, pageSize);
    let next: Promise<StoredPayment[]> | null = fetchAfter(null);
    let progress: Promise<void> = Promise.resolve();
    while (next) {
      if (deps.closed()) throw new Error('the service stopped before the backtest finished');
      const page: StoredPayment[] = await next;
      // The next page is read while this one is replayed (the database and this process work at once).
      const last = page[page.length - 1];
      next = last && page.length === pageSize ? fetchAfter({ at: last.cursorAt, id: last.id }) : null;
      // Keep a failed prefetch from being reported as unhandled while this page is replayed.
      next?.catch(() => undefined);
      // The definitions of the logics that made this page's decisions (immutable: cached by id).
      const unknown = [...new Set(page.map((p) => p.decision.logicId).filter((id): id is string => id !== null && !r.loggedLogics.has(id)))];
      if (unknown.length > 0) {
        const found = new Map((await deps.logics.getLogics(merchantId, unknown)).map((l) => [l.id, l.definition]));
        for (const id of unknown) r.loggedLogics.set(id, found.get(id) ?? null);
      }
      await replayPage(r, page);
      const done = aggregator.processed + tally.skipped;
      // Progress is written in order, without holding up the next page.
      progress = progress.then(() => store.progress(merchantId, b.id, 'RUNNING', done));
      progress.catch(() => undefined); // awaited (and so reported) after the last page
    }
    await progress;
    // The moved payments shown get their logged decision records, read whole (any stored shape).
    const sample = aggregator.movedSample;
    const records = await store.getDecisions(
      merchantId,
      sample.map((m) => m.txnId),
    );
    for (const m of sample) m.actual.decision = readDecisionRecord(records.get(m.txnId));
    const report = aggregator.report({ logic: { id: b.logicId, name: logicName, version: b.logicVersion, kind: definition.kind }, from: b.from, to: b.to, skipped: tally.skipped });
    await store.finish(merchantId, b.id, { status: 'DONE', processed: aggregator.processed + tally.skipped, report });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log('error', 'backtest failed', { backtestId: b.id, merchantId, error: message });
    await store.finish(merchantId, b.id, { status: 'FAILED', processed: aggregator.processed + tally.skipped, error: message }).catch(() => undefined);
  } finally {
    slot.compiled.dispose();
  }
}
