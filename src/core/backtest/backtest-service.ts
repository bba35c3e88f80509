// Backtests of a Priority Logic on the merchant's stored past payments (issue 17, item 1), as jobs.
// start() checks the input, counts the window's payments and stores a QUEUED job, then runs it in
// this process after answering: the payments are read in keyset pages (constant memory), each is
// rebuilt into the engine's input and decided by the chosen logic through the real engine (as a dry
// run: no ranking, no live state), and the pair (what was decided, what the draft decides) is fed
// to the counterfactual estimate. Progress is written after every page, so any instance can answer
// a GET from the table. Every read is scoped to the merchant.
// The run itself is run-backtest.ts; this file holds the job's lifecycle (start, read, close).
import type { GatewayAccount, RoutingEngine } from '../../routing/index.ts';
import { newId } from '../crypto.ts';
import { AppError, invalidField, missingField } from '../errors.ts';
import type { BacktestStore } from '../ports/backtest-store.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { hasRight } from '../priority-logic/priority-logic-service.ts';
import type { Actor } from '../priority-logic/types.ts';
import type { BacktestFeeAccount } from './fee-model.ts';
import { runBacktest, type RunBacktestDeps } from './run-backtest.ts';
import type { Backtest } from './types.ts';

export type { BacktestFeeAccount } from './fee-model.ts';

export const MAX_WINDOW_DAYS = 90;
/** Backtests a merchant may have queued or running at once (each reads up to 90 days of payments). */
export const MAX_ACTIVE_PER_MERCHANT = 2;
/** A job not finished after this long is taken as dead (its process stopped) and no longer counts. */
const ACTIVE_HORIZON_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

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

  const runDeps: RunBacktestDeps = {
    store,
    logics: deps.logics,
    engine,
    gatewayAccounts: (merchantId: string) => deps.gatewayAccounts(merchantId),
    feeAccounts: (merchantId: string) => deps.feeAccounts(merchantId),
    pageSize,
    log,
    closed: () => closed,
  };

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
      const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve)).then(() => runBacktest(runDeps, backtest, logic.definition, logic.name)).finally(() => running.delete(job));
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
