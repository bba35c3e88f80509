// Aggregates per-seed results into tables (markdown, stdout) and charts.
import { barChart, lineChart } from './charts.ts';
import { POLICY_NAMES, type PolicyName, type PolicyRunResult } from './run-scenario.ts';
import type { Scenario } from './scenarios.ts';
import { fmt, meanCi, ratioCi, type MeanCi } from './stats.ts';

export type SeedResults = Record<PolicyName, PolicyRunResult>[];

export interface ScenarioSummary {
  scenario: Scenario;
  seeds: number;
  success: Record<PolicyName, MeanCi>;
  successWithRetry: Record<PolicyName, MeanCi>;
  regret: Record<PolicyName, MeanCi>;
  regretSecondHalf: Record<PolicyName, MeanCi>;
  alarmsPerMillion: Record<PolicyName, MeanCi>;
  topTwoCoinFlip: MeanCi;
  detectOutcomes: Record<PolicyName, MeanCi>;
  detectGatewayOutcomes: Record<PolicyName, MeanCi>;
  detectSeconds: Record<PolicyName, MeanCi>;
  detected: Record<PolicyName, number>;
  applicable: Record<PolicyName, number>;
  detectWithin10: Record<PolicyName, number>;
  recoverSeconds: Record<PolicyName, MeanCi>;
  recovered: Record<PolicyName, number>;
  recoverOwnSeconds: Record<PolicyName, MeanCi>;
  recoveredOwn: Record<PolicyName, number>;
  recoverOwnOutcomes: Record<PolicyName, MeanCi>;
  feeExcessBps: Record<PolicyName, MeanCi>;
  series: Record<PolicyName, { cumulative: number[]; share: number[] }>;
}

function per<T>(make: (policy: PolicyName) => T): Record<PolicyName, T> {
  const out = {} as Record<PolicyName, T>;
  for (const policy of POLICY_NAMES) out[policy] = make(policy);
  return out;
}

function meanOf(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

export function summarise(scenario: Scenario, runs: SeedResults): ScenarioSummary {
  const pick = (policy: PolicyName, f: (r: PolicyRunResult) => number | null): number[] => runs.map((run) => f(run[policy])).filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    scenario,
    seeds: runs.length,
    success: per((p) => meanCi(pick(p, (r) => (100 * r.successes) / r.payments))),
    successWithRetry: per((p) => meanCi(pick(p, (r) => (100 * r.successesWithRetry) / r.payments))),
    regret: per((p) => meanCi(pick(p, (r) => r.regretPp))),
    regretSecondHalf: per((p) => meanCi(pick(p, (r) => r.regretSecondHalfPp))),
    alarmsPerMillion: per((p) => meanCi(pick(p, (r) => (1e6 * r.alarms) / r.payments))),
    topTwoCoinFlip: meanCi(pick('oracle', (r) => r.topTwoCoinFlipPp)),
    detectOutcomes: per((p) => meanCi(pick(p, (r) => r.detectOutcomes))),
    detectGatewayOutcomes: per((p) => meanCi(pick(p, (r) => r.detectGatewayOutcomes))),
    detectSeconds: per((p) => meanCi(pick(p, (r) => r.detectSeconds))),
    detected: per((p) => pick(p, (r) => r.detectOutcomes).length),
    applicable: per((p) => runs.filter((run) => run[p].detectApplicable).length),
    detectWithin10: per((p) => pick(p, (r) => r.detectOutcomes).filter((v) => v <= 10).length),
    recoverSeconds: per((p) => meanCi(pick(p, (r) => r.recoverSeconds))),
    recovered: per((p) => pick(p, (r) => r.recoverSeconds).length),
    recoverOwnSeconds: per((p) => meanCi(pick(p, (r) => r.recoverOwnSeconds))),
    recoveredOwn: per((p) => pick(p, (r) => r.recoverOwnSeconds).length),
    recoverOwnOutcomes: per((p) => meanCi(pick(p, (r) => r.recoverOwnOutcomes))),
    feeExcessBps: per((p) => meanCi(pick(p, (r) => r.feeExcessBps))),
    series: per((p) => {
      const length = runs[0][p].series.length;
      return {
        cumulative: Array.from({ length }, (_, i) => meanOf(runs.map((run) => 100 * run[p].series[i].cumulativeSuccess))),
        share: Array.from({ length }, (_, i) => meanOf(runs.map((run) => 100 * run[p].series[i].eventShare))),
      };
    }),
  };
}

const SHOWN: PolicyName[] = ['static', 'round-robin', 'best-hindsight', 'sr-v3', 'ours', 'informed', 'oracle'];

export function tables(summaries: ScenarioSummary[]): string {
  const lines: string[] = [];
  lines.push('#### First-attempt success rate (%)', '', `| Scenario | ${SHOWN.join(' | ')} |`, `|---|${SHOWN.map(() => '---:').join('|')}|`);
  for (const s of summaries) lines.push(`| ${s.scenario.title} | ${SHOWN.map((p) => fmt(s.success[p])).join(' | ')} |`);

  const REGRET: PolicyName[] = ['static', 'round-robin', 'best-hindsight', 'sr-v3', 'ours', 'informed'];
  lines.push(
    '',
    '#### Regret against the oracle (expected, percentage points; lower is better)',
    '',
    `| Scenario | ${REGRET.join(' | ')} | ours vs SR v3 |`,
    `|---|${REGRET.map(() => '---:').join('|')}|---:|`,
  );
  let sumOurs = 0;
  let sumSr = 0;
  let sumInformed = 0;
  for (const s of summaries) {
    sumOurs += s.regret.ours.mean;
    sumInformed += s.regret.informed.mean;
    sumSr += s.regret['sr-v3'].mean;
    const change = (100 * (s.regret.ours.mean - s.regret['sr-v3'].mean)) / s.regret['sr-v3'].mean;
    lines.push(`| ${s.scenario.title} | ${REGRET.map((p) => fmt(s.regret[p])).join(' | ')} | ${Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${change.toFixed(0)}%` : 'n/a'} |`);
  }
  const avgOurs = sumOurs / summaries.length;
  const avgSr = sumSr / summaries.length;
  const avgInformed = sumInformed / summaries.length;
  const reduction = (100 * (avgSr - avgOurs)) / avgSr;
  lines.push(`| **Suite average** | | | | ${avgSr.toFixed(2)} | ${avgOurs.toFixed(2)} | ${avgInformed.toFixed(2)} | ${reduction >= 0 ? '-' : '+'}${Math.abs(reduction).toFixed(0)}% |`);

  lines.push(
    '',
    '#### Success with one cascading retry (retryable failures only), %',
    '',
    '| Scenario | SR v3 no retry | SR v3 + retry | ours no retry | ours + retry | oracle no retry | oracle + retry |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of summaries) {
    lines.push(
      `| ${s.scenario.title} | ${fmt(s.success['sr-v3'])} | ${fmt(s.successWithRetry['sr-v3'])} | ${fmt(s.success.ours)} | ${fmt(s.successWithRetry.ours)} | ${fmt(s.success.oracle)} | ${fmt(s.successWithRetry.oracle)} |`,
    );
  }

  lines.push(
    '',
    '#### Time to detect and to recover (affected segment; mean ± 95% CI over the seeds where it happened)',
    '',
    '| Scenario | Policy | detected / seeds where the gateway was in use | outcomes to detect (affected segment) | outcomes on the gateway to detect (all traffic) | within 10 outcomes | seconds to detect | recovered (seeds) | seconds to recover | back to own steady share (seeds) | seconds to own steady share | affected decisions to own steady share |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of summaries) {
    if (!s.scenario.event) continue;
    for (const p of ['sr-v3', 'ours'] as PolicyName[]) {
      // An arrival (start = end) has nothing to detect, only an adoption ("recovery") to measure.
      const hasDetect = s.scenario.event.startMs > 0 && s.scenario.event.endMs !== s.scenario.event.startMs;
      const hasRecover = s.scenario.event.endMs !== undefined;
      lines.push(
        `| ${s.scenario.title} | ${p} | ${hasDetect ? `${s.detected[p]}/${s.applicable[p]}` : '-'} | ${hasDetect ? fmt(s.detectOutcomes[p], 1) : '-'} | ${hasDetect ? fmt(s.detectGatewayOutcomes[p], 1) : '-'} | ${hasDetect ? `${s.detectWithin10[p]}/${s.applicable[p]}` : '-'} | ${hasDetect ? fmt(s.detectSeconds[p], 1) : '-'} | ${hasRecover ? `${s.recovered[p]}/${s.seeds}` : '-'} | ${hasRecover ? fmt(s.recoverSeconds[p], 1) : '-'} | ${hasRecover ? `${s.recoveredOwn[p]}/${s.seeds}` : '-'} | ${hasRecover ? fmt(s.recoverOwnSeconds[p], 1) : '-'} | ${hasRecover ? fmt(s.recoverOwnOutcomes[p], 0) : '-'} |`,
      );
    }
  }

  lines.push(
    '',
    '#### Stationary periods: exploration cost and false alarms',
    '',
    '| Scenario | Policy | regret, second half (pp) = exploration cost | alarms per million decisions |',
    '|---|---|---:|---:|',
  );
  for (const s of summaries) {
    if (!s.scenario.stationary) continue;
    for (const p of ['sr-v3', 'ours'] as PolicyName[]) lines.push(`| ${s.scenario.title} | ${p} | ${fmt(s.regretSecondHalf[p])} | ${fmt(s.alarmsPerMillion[p], 0)} |`);
  }

  const withFees = summaries.filter((s) => s.scenario.fees !== undefined);
  if (withFees.length > 0) {
    const FEE: PolicyName[] = ['static', 'round-robin', 'sr-v3', 'ours', 'informed', 'oracle'];
    lines.push('', '#### Cost: mean fee paid above the oracle (cheapest of the best gateways), bps', '', `| Scenario | ${FEE.join(' | ')} |`, `|---|${FEE.map(() => '---:').join('|')}|`);
    for (const s of withFees) lines.push(`| ${s.scenario.title} | ${FEE.map((p) => fmt(s.feeExcessBps[p], 1)).join(' | ')} |`);
  }

  return lines.join('\n');
}

export function charts(summaries: ScenarioSummary[]): Record<string, string> {
  const out: Record<string, string> = {};
  out['regret-by-scenario.svg'] = barChart(
    'Regret against the oracle by scenario (pp, 95% CI)',
    'percentage points',
    summaries.map((s) => ({
      label: s.scenario.title,
      bars: (['round-robin', 'best-hindsight', 'sr-v3', 'ours'] as PolicyName[]).map((p) => ({ name: p, mean: s.regret[p].mean, half: s.regret[p].half })),
    })),
  );
  for (const id of ['full-outage', 'issuer-outage', 'flapping', 'recovery']) {
    const s = summaries.find((x) => x.scenario.id === id);
    if (!s) continue;
    const event = s.scenario.event;
    out[`${id}-share.svg`] = lineChart(
      `${s.scenario.title}: share of ${event?.gateway ?? ''} in its affected segment`,
      'position in the run',
      'share of first attempts (%)',
      (['sr-v3', 'ours', 'oracle'] as PolicyName[]).map((p) => ({ name: p, values: s.series[p].share })),
    );
  }
  for (const id of ['full-outage', 'stationary']) {
    const s = summaries.find((x) => x.scenario.id === id);
    if (!s) continue;
    out[`${id}-cumulative-success.svg`] = lineChart(
      `${s.scenario.title}: cumulative first-attempt success rate`,
      'position in the run',
      'success rate (%)',
      SHOWN.filter((p) => p !== 'static').map((p) => ({ name: p, values: s.series[p].cumulative })),
    );
  }
  return out;
}

/** One seed set's runs: per scenario, the per-seed results (same seed order in every scenario). */
export interface SetRuns {
  name: string;
  seeds: readonly number[];
  summaries: ScenarioSummary[];
  runs: Map<string, SeedResults>;
}

const pct = (ci: MeanCi): string => (Number.isFinite(ci.half) ? `${(100 * ci.mean).toFixed(0)}% ± ${(100 * ci.half).toFixed(0)}` : `${(100 * ci.mean).toFixed(0)}%`);
const verdict = (ok: boolean): string => (ok ? '**met**' : '**not met**');

/** The issue-13 goals, per seed set, with 95% intervals over seeds. */
export function goalsTable(sets: SetRuns[]): string {
  const lines: string[] = [];
  const header = (title: string): void => {
    lines.push('', title, '', `| Goal | ${sets.map((set) => `set ${set.name}`).join(' | ')} |`, `|---|${sets.map(() => '---').join('|')}|`);
  };
  const row = (label: string, cell: (set: SetRuns) => string): void => {
    lines.push(`| ${label} | ${sets.map(cell).join(' | ')} |`);
  };
  const scenarioRuns = (set: SetRuns, id: string): SeedResults | undefined => set.runs.get(id);
  const summary = (set: SetRuns, id: string): ScenarioSummary | undefined => set.summaries.find((s) => s.scenario.id === id);

  header('#### Per seed set; mean ± 95% interval over seeds');
  // 1. Suite-average regret reduction against SR v3 (per seed: the mean over scenarios).
  row('Regret at least 40% below SR v3, suite average (reduction; ours vs SR v3 pp)', (set) => {
    const ids = set.summaries.map((s) => s.scenario.id);
    const perSeed = (policy: PolicyName): number[] => set.seeds.map((_, k) => ids.reduce((sum, id) => sum + set.runs.get(id)![k][policy].regretPp, 0) / ids.length);
    const sr = perSeed('sr-v3');
    const ours = perSeed('ours');
    const reduction = ratioCi(
      sr.map((v, k) => v - ours[k]),
      sr,
    );
    return `${verdict(reduction.mean >= 0.4)} ${pct(reduction)} (${fmt(meanCi(ours))} vs ${fmt(meanCi(sr))})`;
  });
  // 2. Gap closed per scenario.
  row('In every scenario at least 50% of the SR v3 - informed gap closed (worst scenario)', (set) => {
    let worst: { title: string; ci: MeanCi } | null = null;
    let ok = true;
    for (const s of set.summaries) {
      const runs = set.runs.get(s.scenario.id)!;
      const gap = runs.map((r) => r['sr-v3'].regretPp - r.informed.regretPp);
      if (Math.abs(meanCi(gap).mean) < 0.05) continue; // no gap to close (costs-differ: success equal)
      const closed = ratioCi(
        runs.map((r) => r['sr-v3'].regretPp - r.ours.regretPp),
        gap,
      );
      if (closed.mean < 0.5) ok = false;
      if (worst === null || closed.mean < worst.ci.mean) worst = { title: s.scenario.title, ci: closed };
    }
    return worst ? `${verdict(ok)} worst ${worst.title}: ${pct(worst.ci)}` : 'n/a';
  });
  // 3. -5 pp drop: outcomes on the gateway until noticed.
  row('-5 pp drop noticed within 150 outcomes on the gateway (mean; seeds within 150 / in use)', (set) => {
    const s = summary(set, 'partial-5');
    const runs = scenarioRuns(set, 'partial-5');
    if (!s || !runs) return 'not run';
    const within = runs.filter((r) => r.ours.detectGatewayOutcomes !== null && r.ours.detectGatewayOutcomes <= 150).length;
    const ok = s.detectGatewayOutcomes.ours.mean <= 150 && within === s.applicable.ours;
    return `${verdict(ok)} ${fmt(s.detectGatewayOutcomes.ours, 0)} (${within}/${s.applicable.ours}; detected ${s.detected.ours}); SR v3 ${fmt(s.detectGatewayOutcomes['sr-v3'], 0)}`;
  });
  // 4. False alarms in stationary traffic.
  row('At most 50 false alarms per million decisions, stationary', (set) => {
    const s = summary(set, 'stationary');
    if (!s) return 'not run';
    return `${verdict(s.alarmsPerMillion.ours.mean <= 50)} ${fmt(s.alarmsPerMillion.ours, 0)}`;
  });
  // 5. Full outage within 10 outcomes.
  row('Full outage noticed within 10 outcomes (seeds within 10 / in use; mean outcomes)', (set) => {
    const parts: string[] = [];
    let ok = true;
    for (const id of ['full-outage', 'delayed-feedback']) {
      const s = summary(set, id);
      if (!s) continue;
      if (s.detectWithin10.ours !== s.applicable.ours) ok = false;
      parts.push(`${s.scenario.title} ${s.detectWithin10.ours}/${s.applicable.ours}, ${fmt(s.detectOutcomes.ours, 1)}`);
    }
    return parts.length ? `${verdict(ok)} ${parts.join('; ')}` : 'not run';
  });
  // 6. Recovery within 500 outcomes of the return (back to its own steady share).
  row('Recovery within 500 outcomes of the return (affected decisions to own steady share; seeds within 500 / seeds)', (set) => {
    const parts: string[] = [];
    let ok = true;
    for (const id of ['full-outage', 'issuer-outage', 'recovery', 'delayed-feedback']) {
      const s = summary(set, id);
      const runs = scenarioRuns(set, id);
      if (!s || !runs) continue;
      const within = runs.filter((r) => r.ours.recoverOwnOutcomes !== null && r.ours.recoverOwnOutcomes <= 500).length;
      if (within < runs.length) ok = false;
      parts.push(`${s.scenario.title} ${fmt(s.recoverOwnOutcomes.ours, 0)} (${within}/${runs.length})`);
    }
    return parts.length ? `${verdict(ok)} ${parts.join('; ')}` : 'not run';
  });

  header('#### Context per seed set');
  row('Informed reference regret, stationary (pp)', (set) => {
    const s = summary(set, 'stationary');
    return s ? fmt(s.regret.informed) : 'not run';
  });
  row('Informed reference regret, range over scenarios (pp)', (set) => {
    const values = set.summaries.filter((s) => s.scenario.id !== 'costs-differ').map((s) => s.regret.informed.mean);
    return `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
  });
  row('Gap closed per scenario (ours), %', (set) =>
    set.summaries
      .map((s) => {
        const runs = set.runs.get(s.scenario.id)!;
        const gap = runs.map((r) => r['sr-v3'].regretPp - r.informed.regretPp);
        if (Math.abs(meanCi(gap).mean) < 0.05) return `${s.scenario.title} n/a`;
        return `${s.scenario.title} ${pct(
          ratioCi(
            runs.map((r) => r['sr-v3'].regretPp - r.ours.regretPp),
            gap,
          ),
        )}`;
      })
      .join('; '),
  );
  // Issue 13, finding 2: where an outage's first attempts go while the other gateways are cold.
  row("Outage while the others are cold: share of the outage's first attempts on the two worse live gateways (84% and 80%; ours / informed / SR v3; worst seed of ours)", (set) => {
    const runs = scenarioRuns(set, 'cold-outage');
    if (!runs) return 'not run';
    const worse = (r: PolicyRunResult): number => 100 * ((r.eventWindowShare?.PG_C ?? 0) + (r.eventWindowShare?.PG_D ?? 0));
    const of = (policy: PolicyName): number[] => runs.map((run) => worse(run[policy]));
    return `${fmt(meanCi(of('ours')), 1)}% / ${fmt(meanCi(of('informed')), 1)}% / ${fmt(meanCi(of('sr-v3')), 1)}%; worst ${Math.max(...of('ours')).toFixed(0)}%`;
  });
  row('Cost scenario: fee above the oracle, bps (ours / SR v3)', (set) => {
    const s = summary(set, 'costs-differ');
    return s ? `${fmt(s.feeExcessBps.ours, 1)} / ${fmt(s.feeExcessBps['sr-v3'], 1)}` : 'not run';
  });
  return lines.join('\n');
}
