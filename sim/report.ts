// Aggregates per-seed results into tables (markdown, stdout) and charts.
import { barChart, lineChart } from './charts.ts';
import { POLICY_NAMES, type PolicyName, type PolicyRunResult } from './run-scenario.ts';
import type { Scenario } from './scenarios.ts';
import { fmt, meanCi, type MeanCi } from './stats.ts';

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
  detectSeconds: Record<PolicyName, MeanCi>;
  detected: Record<PolicyName, number>;
  applicable: Record<PolicyName, number>;
  detectWithin10: Record<PolicyName, number>;
  recoverSeconds: Record<PolicyName, MeanCi>;
  recovered: Record<PolicyName, number>;
  recoverOwnSeconds: Record<PolicyName, MeanCi>;
  recoveredOwn: Record<PolicyName, number>;
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
  const pick = (policy: PolicyName, f: (r: PolicyRunResult) => number | null): number[] =>
    runs.map((run) => f(run[policy])).filter((v): v is number => v !== null && Number.isFinite(v));
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
    detectSeconds: per((p) => meanCi(pick(p, (r) => r.detectSeconds))),
    detected: per((p) => pick(p, (r) => r.detectOutcomes).length),
    applicable: per((p) => runs.filter((run) => run[p].detectApplicable).length),
    detectWithin10: per((p) => pick(p, (r) => r.detectOutcomes).filter((v) => v <= 10).length),
    recoverSeconds: per((p) => meanCi(pick(p, (r) => r.recoverSeconds))),
    recovered: per((p) => pick(p, (r) => r.recoverSeconds).length),
    recoverOwnSeconds: per((p) => meanCi(pick(p, (r) => r.recoverOwnSeconds))),
    recoveredOwn: per((p) => pick(p, (r) => r.recoverOwnSeconds).length),
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

export function tables(summaries: ScenarioSummary[]): { markdown: string; goals: string } {
  const lines: string[] = [];
  lines.push('### First-attempt success rate (%)', '', `| Scenario | ${SHOWN.join(' | ')} |`, `|---|${SHOWN.map(() => '---:').join('|')}|`);
  for (const s of summaries) lines.push(`| ${s.scenario.title} | ${SHOWN.map((p) => fmt(s.success[p])).join(' | ')} |`);

  const REGRET: PolicyName[] = ['static', 'round-robin', 'best-hindsight', 'sr-v3', 'ours', 'informed'];
  lines.push('', '### Regret against the oracle (expected, percentage points; lower is better)', '', `| Scenario | ${REGRET.join(' | ')} | ours vs SR v3 |`, `|---|${REGRET.map(() => '---:').join('|')}|---:|`);
  let sumOurs = 0;
  let sumSr = 0;
  let sumInformed = 0;
  for (const s of summaries) {
    sumOurs += s.regret.ours.mean;
    sumInformed += s.regret.informed.mean;
    sumSr += s.regret['sr-v3'].mean;
    const change = (100 * (s.regret.ours.mean - s.regret['sr-v3'].mean)) / s.regret['sr-v3'].mean;
    lines.push(`| ${s.scenario.title} | ${REGRET.map((p) => fmt(s.regret[p])).join(' | ')} | ${change >= 0 ? '+' : ''}${change.toFixed(0)}% |`);
  }
  const avgOurs = sumOurs / summaries.length;
  const avgSr = sumSr / summaries.length;
  const avgInformed = sumInformed / summaries.length;
  const reduction = (100 * (avgSr - avgOurs)) / avgSr;
  lines.push(`| **Suite average** | | | | ${avgSr.toFixed(2)} | ${avgOurs.toFixed(2)} | ${avgInformed.toFixed(2)} | ${reduction >= 0 ? '-' : '+'}${Math.abs(reduction).toFixed(0)}% |`);

  lines.push(
    '',
    '### Success with one cascading retry (retryable failures only), %',
    '',
    '| Scenario | SR v3 no retry | SR v3 + retry | ours no retry | ours + retry | oracle no retry | oracle + retry |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of summaries) {
    lines.push(`| ${s.scenario.title} | ${fmt(s.success['sr-v3'])} | ${fmt(s.successWithRetry['sr-v3'])} | ${fmt(s.success.ours)} | ${fmt(s.successWithRetry.ours)} | ${fmt(s.success.oracle)} | ${fmt(s.successWithRetry.oracle)} |`);
  }

  lines.push(
    '',
    '### Time to detect and to recover (affected segment; mean ± 95% CI over the seeds where it happened)',
    '',
    '| Scenario | Policy | detected / seeds where the gateway was in use | outcomes to detect | within 10 outcomes | seconds to detect | recovered (seeds) | seconds to recover | back to own steady share (seeds) | seconds to own steady share |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of summaries) {
    if (!s.scenario.event) continue;
    for (const p of ['sr-v3', 'ours'] as PolicyName[]) {
      const hasDetect = s.scenario.event.startMs > 0;
      const hasRecover = s.scenario.event.endMs !== undefined;
      lines.push(
        `| ${s.scenario.title} | ${p} | ${hasDetect ? `${s.detected[p]}/${s.applicable[p]}` : '-'} | ${hasDetect ? fmt(s.detectOutcomes[p], 1) : '-'} | ${hasDetect ? `${s.detectWithin10[p]}/${s.applicable[p]}` : '-'} | ${hasDetect ? fmt(s.detectSeconds[p], 1) : '-'} | ${hasRecover ? `${s.recovered[p]}/${s.seeds}` : '-'} | ${hasRecover ? fmt(s.recoverSeconds[p], 1) : '-'} | ${hasRecover ? `${s.recoveredOwn[p]}/${s.seeds}` : '-'} | ${hasRecover ? fmt(s.recoverOwnSeconds[p], 1) : '-'} |`,
      );
    }
  }

  lines.push(
    '',
    '### Stationary periods: exploration cost and false alarms',
    '',
    '| Scenario | Policy | regret, second half (pp) = exploration cost | alarms per million decisions |',
    '|---|---|---:|---:|',
  );
  for (const s of summaries) {
    if (!s.scenario.stationary) continue;
    for (const p of ['sr-v3', 'ours'] as PolicyName[]) lines.push(`| ${s.scenario.title} | ${p} | ${fmt(s.regretSecondHalf[p])} | ${fmt(s.alarmsPerMillion[p], 0)} |`);
  }

  // Goals.
  const full = summaries.filter((s) => ['full-outage', 'delayed-feedback'].includes(s.scenario.id));
  const detectOk = full.every((s) => s.detectWithin10.ours === s.applicable.ours);
  const worstGap = Math.max(...summaries.map((s) => s.regret.ours.mean));
  const informedRegrets = summaries.map((s) => s.regret.informed.mean);
  const informedWithin = summaries.filter((s) => s.regret.informed.mean <= 0.5).length;
  const goals = [
    `- Full outage detected within 10 outcomes of the affected segment: ${detectOk ? 'MET' : 'NOT MET'} (${full.map((s) => `${s.scenario.title}: ${s.detectWithin10.ours}/${s.applicable.ours} seeds where PG_A was in use, mean ${fmt(s.detectOutcomes.ours, 1)} outcomes`).join('; ')}).`,
    `- Ours within 0.5 points of the oracle in every scenario: ${worstGap <= 0.5 ? 'MET' : 'NOT MET'} (worst: ${worstGap.toFixed(2)} pp; ${summaries.filter((s) => s.regret.ours.mean <= 0.5).length}/${summaries.length} scenarios within 0.5). For scale, same oracle: the best single gateway in hindsight is ${Math.min(...summaries.map((s) => s.regret['best-hindsight'].mean)).toFixed(2)}-${Math.max(...summaries.map((s) => s.regret['best-hindsight'].mean)).toFixed(2)} pp behind, and a coin flip between each payment's two truly best gateways ${Math.min(...summaries.map((s) => s.topTwoCoinFlip.mean)).toFixed(2)}-${Math.max(...summaries.map((s) => s.topTwoCoinFlip.mean)).toFixed(2)} pp. The informed reference (told the cells' grouping, every outage and every rate change; learns only the rates, from every outcome, hard declines included) is ${Math.min(...informedRegrets).toFixed(2)}-${Math.max(...informedRegrets).toFixed(2)} pp behind, within 0.5 in ${informedWithin}/${summaries.length} scenarios (see "Reading the results").`,
    `- Regret at least 30% below SR v3 averaged over the suite: ${reduction >= 30 ? 'MET' : 'NOT MET'} (${avgOurs.toFixed(2)} vs ${avgSr.toFixed(2)} pp: ${reduction.toFixed(0)}% lower).`,
  ].join('\n');
  return { markdown: lines.join('\n'), goals };
}

export function charts(summaries: ScenarioSummary[]): Record<string, string> {
  const out: Record<string, string> = {};
  out['regret-by-scenario.svg'] = barChart(
    'Regret against the oracle by scenario (pp, 95% CI)',
    'percentage points',
    summaries.map((s) => ({ label: s.scenario.title, bars: (['round-robin', 'best-hindsight', 'sr-v3', 'ours'] as PolicyName[]).map((p) => ({ name: p, mean: s.regret[p].mean, half: s.regret[p].half })) })),
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
