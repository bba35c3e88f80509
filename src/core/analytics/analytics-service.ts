// The dashboard's read use-cases: analytics over a range (rollup for closed hours, live for the
// rest, merged here), live traffic, order search and order detail. Every read is scoped to the
// merchant it is given.
import { notFound } from '../errors.ts';
import type { AnalyticsStore } from '../ports/analytics-store.ts';
import type { PaymentStore } from '../ports/payment-store.ts';
import { addHistogram, emptyHistogram, percentileFromHistogram } from './latency-buckets.ts';
import { encodeOrderCursor } from './query-input.ts';
import { bucketStarts, floorTo, planSources } from './time-plan.ts';
import {
  DEFAULT_ORDER_LOGIC_ID,
  type AnalyticsAggregate,
  type AnalyticsQuery,
  type AnalyticsReport,
  type FilterValues,
  type LiveQuery,
  type LiveReport,
  type OrderDetail,
  type OrderPage,
  type OrderSearch,
} from './types.ts';

export interface AnalyticsServiceDeps {
  store: AnalyticsStore;
  payments: Pick<PaymentStore, 'getOrder' | 'listTxns' | 'listRefunds'>;
  now?: () => Date;
}

const rate = (charged: number, attempts: number): number | null => (attempts > 0 ? charged / attempts : null);
const gatewayOrNull = (gateway: string): string | null => (gateway === '' ? null : gateway);

/** Sums several parts' aggregates into one (every figure is additive, histograms too). */
export function mergeAggregates(parts: readonly AnalyticsAggregate[]): AnalyticsAggregate {
  const series = new Map<string, AnalyticsAggregate['series'][number]>();
  const gateways = new Map<string, AnalyticsAggregate['gateways'][number]>();
  const failures = new Map<string, AnalyticsAggregate['failures'][number]>();
  const logics = new Map<string, AnalyticsAggregate['logics'][number]>();
  const amounts = new Map<string, number>();
  const totals = { attempts: 0, charged: 0, firstAttempts: 0, chargedFirstAttempt: 0, chargedAfterFallback: 0 };
  for (const part of parts) {
    for (const s of part.series) {
      const key = `${s.t.getTime()}|${s.gateway}`;
      const cell = series.get(key) ?? { t: s.t, gateway: s.gateway, attempts: 0, charged: 0 };
      cell.attempts += s.attempts;
      cell.charged += s.charged;
      series.set(key, cell);
    }
    for (const g of part.gateways) {
      const cell = gateways.get(g.gateway) ?? { gateway: g.gateway, attempts: 0, charged: 0, latency: emptyHistogram() };
      cell.attempts += g.attempts;
      cell.charged += g.charged;
      addHistogram(cell.latency, g.latency);
      gateways.set(g.gateway, cell);
    }
    for (const f of part.failures) {
      const key = `${f.errorCode}|${f.category}`;
      const cell = failures.get(key) ?? { errorCode: f.errorCode, category: f.category, count: 0 };
      cell.count += f.count;
      failures.set(key, cell);
    }
    for (const l of part.logics) {
      const cell = logics.get(l.logicId) ?? { logicId: l.logicId, attempts: 0, charged: 0 };
      cell.attempts += l.attempts;
      cell.charged += l.charged;
      logics.set(l.logicId, cell);
    }
    for (const a of part.amounts) amounts.set(a.currency, (amounts.get(a.currency) ?? 0) + a.amountCharged);
    totals.attempts += part.totals.attempts;
    totals.charged += part.totals.charged;
    totals.firstAttempts += part.totals.firstAttempts;
    totals.chargedFirstAttempt += part.totals.chargedFirstAttempt;
    totals.chargedAfterFallback += part.totals.chargedAfterFallback;
  }
  return {
    series: [...series.values()],
    gateways: [...gateways.values()],
    failures: [...failures.values()],
    logics: [...logics.values()],
    amounts: [...amounts].map(([currency, amountCharged]) => ({ currency, amountCharged })),
    totals,
  };
}

function mergeFilterValues(parts: readonly FilterValues[]): FilterValues {
  const sets = { paymentMethodTypes: new Set<string>(), cardBrands: new Set<string>(), gateways: new Set<string>(), logicIds: new Set<string>() };
  for (const p of parts) {
    for (const k of Object.keys(sets) as Array<keyof FilterValues>) for (const v of p[k]) if (v !== '') sets[k].add(v);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { paymentMethodTypes: sorted(sets.paymentMethodTypes), cardBrands: sorted(sets.cardBrands), gateways: sorted(sets.gateways), logicIds: sorted(sets.logicIds) };
}

export function createAnalyticsService(deps: AnalyticsServiceDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  async function analytics(merchantId: string, query: AnalyticsQuery): Promise<AnalyticsReport> {
    const [rolledUntil, names] = await Promise.all([store.rolledUntil(), store.logicNames(merchantId)]);
    const parts = planSources(query, rolledUntil, query.bucket);
    const [aggregates, values] = await Promise.all([
      Promise.all(parts.map((part) => store.aggregate(merchantId, part, query.bucket, query.filters))),
      Promise.all(parts.map((part) => store.filterValues(merchantId, part))),
    ]);
    const merged = mergeAggregates(aggregates);
    const seen = mergeFilterValues(values);
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const logicName = (id: string): string => (id === DEFAULT_ORDER_LOGIC_ID ? DEFAULT_ORDER_LOGIC_ID : (nameOf.get(id) ?? id));

    // A series point for every bucket and every gateway that has traffic in the range, zeros included.
    const cells = new Map(merged.series.map((s) => [`${s.t.getTime()}|${s.gateway}`, s]));
    const seriesGateways = [...new Set(merged.series.map((s) => s.gateway))].sort();
    const series: AnalyticsReport['series'] = [];
    for (const t of bucketStarts(query, query.bucket)) {
      for (const gateway of seriesGateways) {
        const cell = cells.get(`${t.getTime()}|${gateway}`);
        series.push({ t, gateway: gatewayOrNull(gateway), attempts: cell?.attempts ?? 0, charged: cell?.charged ?? 0 });
      }
    }

    const amounts = merged.amounts.filter((a) => a.amountCharged > 0).sort((a, b) => b.amountCharged - a.amountCharged || a.currency.localeCompare(b.currency));
    const main = amounts[0] ?? null;
    const { totals } = merged;
    // The logics that decided payments in the range, like the other pickers' values: a merchant
    // with a thousand logics gets the few that had traffic, not a thousand options.
    const listed = new Map<string, string>();
    for (const id of seen.logicIds) listed.set(id, logicName(id));

    return {
      from: query.from,
      to: query.to,
      bucket: query.bucket,
      appliedFilters: query.filters,
      rolledUpUntil: rolledUntil,
      totals: {
        attempts: totals.attempts,
        charged: totals.charged,
        successRate: rate(totals.charged, totals.attempts),
        orders: totals.firstAttempts,
        amountChargedMinor: main?.amountCharged ?? 0,
        currency: main?.currency ?? null,
        amountsCharged: amounts,
      },
      byGateway: merged.gateways
        .sort((a, b) => b.attempts - a.attempts || a.gateway.localeCompare(b.gateway))
        .map((g) => ({
          gateway: gatewayOrNull(g.gateway),
          attempts: g.attempts,
          charged: g.charged,
          successRate: rate(g.charged, g.attempts),
          latencyMs: { p50: percentileFromHistogram(g.latency, 0.5), p90: percentileFromHistogram(g.latency, 0.9), p99: percentileFromHistogram(g.latency, 0.99) },
        })),
      series,
      failures: merged.failures
        .filter((f) => f.errorCode !== '' && f.count > 0)
        .sort((a, b) => b.count - a.count || a.errorCode.localeCompare(b.errorCode))
        .map((f) => ({ errorCode: f.errorCode, category: f.category === '' ? null : f.category, count: f.count })),
      byLogic: merged.logics
        .sort((a, b) => b.attempts - a.attempts || a.logicId.localeCompare(b.logicId))
        .map((l) => ({ logicId: l.logicId, logicName: logicName(l.logicId), attempts: l.attempts, charged: l.charged, successRate: rate(l.charged, l.attempts) })),
      firstAttempt: { orders: totals.firstAttempts, chargedFirstAttempt: totals.chargedFirstAttempt, chargedAfterFallback: totals.chargedAfterFallback },
      filters: {
        paymentMethodTypes: seen.paymentMethodTypes,
        cardBrands: seen.cardBrands,
        gateways: seen.gateways,
        logics: [...listed].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
      },
    };
  }

  async function live(merchantId: string, query: LiveQuery): Promise<LiveReport> {
    const stepMs = query.stepSeconds * 1000;
    const to = now();
    // Whole steps only: the first one starts on a step boundary, the last one is the current, partial step.
    const from = floorTo(new Date(to.getTime() - query.seconds * 1000 + stepMs), stepMs);
    const rows = await store.liveSeries(merchantId, from, to, query.stepSeconds);
    const cells = new Map(rows.map((r) => [`${r.t.getTime()}|${r.gateway}`, r]));
    const gateways = [...new Set(rows.map((r) => r.gateway))].sort();
    const series: LiveReport['series'] = [];
    for (let t = from.getTime(); t < to.getTime(); t += stepMs) {
      for (const gateway of gateways) {
        const cell = cells.get(`${t}|${gateway}`);
        series.push({ t: new Date(t), gateway: gatewayOrNull(gateway), attempts: cell?.attempts ?? 0, charged: cell?.charged ?? 0 });
      }
    }
    return { from, to, stepSeconds: query.stepSeconds, series };
  }

  async function orders(merchantId: string, search: OrderSearch): Promise<OrderPage> {
    // One row more than asked tells whether there is a next page.
    const rows = await store.searchOrders(merchantId, { ...search, limit: search.limit + 1 });
    const page = rows.slice(0, search.limit);
    const last = page[page.length - 1];
    return { orders: page, nextCursor: rows.length > search.limit && last ? encodeOrderCursor(last.cursor) : null };
  }

  async function orderDetail(merchantId: string, orderId: string): Promise<OrderDetail> {
    const order = await deps.payments.getOrder(merchantId, orderId);
    if (!order) throw notFound(`Order ${orderId}`);
    const [txns, refunds] = await Promise.all([deps.payments.listTxns(order.id), deps.payments.listRefunds(order.id)]);
    return { order, txns, refunds };
  }

  return { analytics, live, orders, orderDetail };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
