// The backtest's report, built in one pass over the replayed payments with memory bounded by the
// number of gateways, methods and segments (and the moved-payment sample), never by the window.
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import { CounterfactualEstimator, EstimateAccumulator, type Interval } from './counterfactual.ts';
import type { BacktestReport, CostFigures, GatewayFigures, GroupFigures, MovedPayment, Rate, TrafficFlow } from './types.ts';

export const MOVED_SAMPLE_LIMIT = 200;
export const SEGMENT_LIMIT = 50;

export const ESTIMATE_STATEMENT =
  "The draft's success rates are estimates, not outcomes: where the draft keeps a payment's gateway, what happened counts; " +
  'where it moves a payment, its outcome on the other gateway is estimated from the success rates learnt from the payments before it ' +
  '(doubly robust where the history was a volume split, the model alone otherwise, and the worst case in the interval where the other gateway ' +
  "had no outcome in the payment's segment yet). Intervals are 95%.";

/**
 * One replayed payment: the moved-payment facts the report shows (MovedPayment), with the time in
 * milliseconds, the gateway used, the draft's decision and what the estimate needs.
 */
export interface ReplayedPayment extends Omit<MovedPayment, 'createdAt' | 'actual' | 'draft'> {
  createdAtMs: number;
  used: string;
  propensity: number | null;
  draftPropensity: number | null;
  draftDecision: RoutingDecisionRecord;
  /** Fees of the payment at the used and the draft's gateway (minor units), null when unknown. */
  actualFeeMinor: number | null;
  draftFeeMinor: number | null;
}

/** Wilson 95% interval of k successes in n. */
export function wilson(k: number, n: number, z = 1.96): Rate {
  if (n === 0) return { estimate: 0, low: 0, high: 0 };
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { estimate: p, low: Math.max(0, c - h), high: Math.min(1, c + h) };
}

interface Tally {
  n: number;
  s: number;
}

export class BacktestAggregator {
  private readonly model = new CounterfactualEstimator();
  private readonly total = new EstimateAccumulator();
  private readonly byMethod = new Map<string, EstimateAccumulator>();
  private readonly bySegment = new Map<string, EstimateAccumulator>();
  private readonly draftByGateway = new Map<string, EstimateAccumulator>();
  private readonly actualByGateway = new Map<string, Tally>();
  private readonly movedIn = new Map<string, number>();
  private readonly movedOut = new Map<string, number>();
  private readonly flows = new Map<string, { from: string; to: string | null; count: number }>();
  private readonly cost = new Map<string, { payments: number; actual: number; draft: number }>();
  private readonly sample: MovedPayment[] = [];
  private feesUnknown = 0;
  private randomised = 0;
  private moved = 0;
  private n = 0;

  constructor(private readonly sampleLimit = MOVED_SAMPLE_LIMIT) {}

  add(p: ReplayedPayment): void {
    const draft = p.draftDecision.decidedGateway;
    const c = this.model.score({ segment: p.segment, used: p.used, success: p.success, propensity: p.propensity, draftPropensity: p.draftPropensity, draft });
    this.n++;
    if (p.propensity !== null) this.randomised++;
    this.total.add(c);
    group(this.byMethod, p.paymentMethodType).add(c);
    group(this.bySegment, p.segment).add(c);
    if (draft !== null) group(this.draftByGateway, draft).add(c);
    const t = this.actualByGateway.get(p.used) ?? { n: 0, s: 0 };
    t.n++;
    t.s += p.success ? 1 : 0;
    this.actualByGateway.set(p.used, t);
    if (draft !== p.used) {
      this.moved++;
      this.movedOut.set(p.used, (this.movedOut.get(p.used) ?? 0) + 1);
      if (draft !== null) this.movedIn.set(draft, (this.movedIn.get(draft) ?? 0) + 1);
      const key = `${p.used}\u0000${draft ?? ''}`;
      const f = this.flows.get(key);
      if (f) f.count++;
      else this.flows.set(key, { from: p.used, to: draft, count: 1 });
      if (this.sample.length < this.sampleLimit) {
        this.sample.push({
          txnId: p.txnId,
          orderId: p.orderId,
          createdAt: new Date(p.createdAtMs).toISOString(),
          amount: p.amount,
          currency: p.currency,
          paymentMethodType: p.paymentMethodType,
          paymentMethod: p.paymentMethod,
          segment: p.segment,
          status: p.status,
          success: p.success,
          actual: { gateway: p.used, decision: null },
          draft: { gateway: draft, decision: p.draftDecision },
        });
      }
    }
    if (draft !== null && p.actualFeeMinor !== null && p.draftFeeMinor !== null) {
      const k = this.cost.get(p.currency) ?? { payments: 0, actual: 0, draft: 0 };
      k.payments++;
      k.actual += p.actualFeeMinor;
      k.draft += p.draftFeeMinor;
      this.cost.set(p.currency, k);
    } else if (draft !== null) {
      this.feesUnknown++;
    }
  }

  /** The moved payments kept to show (their logged decisions are filled in by the caller). */
  get movedSample(): MovedPayment[] {
    return this.sample;
  }

  get processed(): number {
    return this.n;
  }

  report(meta: { logic: BacktestReport['logic']; from: Date; to: Date; skipped: number }): BacktestReport {
    const figures = (key: string, a: EstimateAccumulator): GroupFigures => {
      const r = a.result(this.model);
      return {
        key,
        payments: r.payments,
        moved: r.changed,
        actualSuccessRate: wilson(Math.round(r.actual * r.payments), r.payments),
        draftSuccessRate: clamp(r.draft),
        difference: r.difference,
        supported: r.supported,
        modelOnly: r.modelOnly,
        extrapolated: r.extrapolated,
      };
    };
    const share = (k: number): number => (this.n ? k / this.n : 0);
    const gateways = new Set([...this.actualByGateway.keys(), ...this.draftByGateway.keys()]);
    const byGateway: GatewayFigures[] = [...gateways].sort().map((gateway) => {
      const t = this.actualByGateway.get(gateway);
      const d = this.draftByGateway.get(gateway)?.result(this.model);
      return {
        gateway,
        actualPayments: t?.n ?? 0,
        actualShare: share(t?.n ?? 0),
        actualSuccessRate: t ? wilson(t.s, t.n) : null,
        draftPayments: d?.payments ?? 0,
        draftShare: share(d?.payments ?? 0),
        draftSuccessRate: d ? clamp(d.draft) : null,
        movedIn: this.movedIn.get(gateway) ?? 0,
        movedOut: this.movedOut.get(gateway) ?? 0,
      };
    });
    const segments = [...this.bySegment.entries()].map(([k, a]) => figures(k, a)).sort((a, b) => b.payments - a.payments || (a.key < b.key ? -1 : 1));
    const flows: TrafficFlow[] = [...this.flows.values()].sort((a, b) => b.count - a.count).map((f) => ({ ...f, share: share(f.count) }));
    const byCurrency: CostFigures[] = [...this.cost.entries()].sort().map(([currency, k]) => ({
      currency,
      payments: k.payments,
      actualFeesMinor: k.actual,
      draftFeesMinor: k.draft,
      differenceMinor: k.draft - k.actual,
    }));
    return {
      statement: ESTIMATE_STATEMENT,
      logic: meta.logic,
      window: { from: meta.from.toISOString(), to: meta.to.toISOString() },
      payments: this.n,
      moved: this.moved,
      skipped: meta.skipped,
      randomised: this.randomised,
      totals: figures('ALL', this.total),
      flows,
      byGateway,
      byPaymentMethodType: [...this.byMethod.entries()].map(([k, a]) => figures(k, a)).sort((a, b) => b.payments - a.payments),
      bySegment: segments.slice(0, SEGMENT_LIMIT),
      segmentsOmitted: Math.max(0, segments.length - SEGMENT_LIMIT),
      cost: { byCurrency, feesUnknown: this.feesUnknown },
      movedSample: this.sample,
      movedSampleLimit: this.sampleLimit,
    };
  }
}

function group(map: Map<string, EstimateAccumulator>, key: string): EstimateAccumulator {
  let a = map.get(key);
  if (!a) {
    a = new EstimateAccumulator();
    map.set(key, a);
  }
  return a;
}

/** A success rate's interval cannot leave [0, 1] (the estimate itself is left as computed). */
function clamp(i: Interval): Interval {
  return { estimate: i.estimate, low: Math.max(0, i.low), high: Math.min(1, i.high) };
}
