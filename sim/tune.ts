// Tuning on TUNING_SEEDS only: runs chosen scenarios with overrides of our policy's configuration
// and prints, per setting, regret, the -5 pp detection and stationary false alarms. Used to pick
// the small-drop detector's settings (issue 13); never run on held-out seeds (runScenario refuses).
//   npx tsx sim/tune.ts '<json array of Partial<ScoringConfig>>' [scenario ids, comma-separated] [seeds]
import { buildScenarios, TUNING_SEEDS } from './scenarios.ts';
import { runScenario } from './run-scenario.ts';
import { meanCi, fmt } from './stats.ts';
import { DEFAULT_SCORING_CONFIG } from '../src/routing/scoring/index.ts';
import type { ScoringConfig } from '../src/routing/scoring/index.ts';

const variants = JSON.parse(process.argv[2] ?? '[{}]') as Partial<ScoringConfig>[];
const ids = (process.argv[3] ?? 'stationary,partial-5').split(',');
const seeds = TUNING_SEEDS.slice(0, Number(process.argv[4] ?? 30));
const scenarios = buildScenarios(10_000).filter((s) => ids.includes(s.id));

for (const variant of variants) {
  const config: Partial<ScoringConfig> = { ...variant, detector: { ...DEFAULT_SCORING_CONFIG.detector, ...variant.detector } };
  const parts: string[] = [];
  for (const scenario of scenarios) {
    const regret: number[] = [];
    const sr: number[] = [];
    const alarms: number[] = [];
    const detect: number[] = [];
    const recover: number[] = [];
    const informed: number[] = [];
    const shares: Record<string, number>[] = [];
    let applicable = 0;
    for (const seed of seeds) {
      const r = runScenario(scenario, { payments: 10_000, seed, oursConfig: config });
      regret.push(r.ours.regretPp);
      sr.push(r['sr-v3'].regretPp);
      alarms.push((1e6 * r.ours.alarms) / r.ours.payments);
      if (r.ours.detectApplicable) applicable++;
      if (r.ours.detectGatewayOutcomes !== null) detect.push(r.ours.detectGatewayOutcomes);
      if (scenario.event?.endMs !== undefined) recover.push(r.ours.recoverOwnOutcomes ?? Infinity);
      informed.push(r.informed.regretPp);
      if (r.ours.eventWindowShare) shares.push(r.ours.eventWindowShare);
    }
    const gap = regret.map((_, i) => (sr[i] - regret[i]) / (sr[i] - informed[i]));
    let part = `${scenario.id}: regret ${fmt(meanCi(regret))} (SR v3 ${fmt(meanCi(sr))}, informed ${fmt(meanCi(informed))}, gap closed ~${Math.round(100 * (gap.reduce((a, b) => a + b, 0) / gap.length))}%)`;
    if (recover.length) part += ` recovery ${fmt(meanCi(recover.filter(Number.isFinite)), 0)} (${recover.filter((v) => v <= 500).length}/${recover.length} <=500)`;
    if (shares.length)
      part += ` event-window share ${Object.keys(shares[0])
        .map((g) => `${g} ${fmt(meanCi(shares.map((x) => 100 * x[g])), 0)}%`)
        .join(' ')}`;
    if (scenario.stationary) part += ` alarms/M ${fmt(meanCi(alarms), 0)}`;
    if (scenario.event && detect.length) part += ` detect ${fmt(meanCi(detect), 0)} (${detect.filter((d) => d <= 150).length}/${applicable} <=150)`;
    parts.push(part);
  }
  console.log(JSON.stringify(variant.detector ?? variant), '\n   ', parts.join('\n    '));
}
