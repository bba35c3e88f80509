// "Check the rules": the rule analysis of a stored rule-based logic or the draft being edited
// (POST /v1/priority-logics/analyze; nothing is stored): rules that can never match or are
// shadowed, overlaps with a payment both rules match, gateways a rule's payments cannot use, and,
// when enforced, payments left with no gateway. Warnings, not errors: saving is never blocked.
import { useId, useState } from 'react';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ApiError } from '../api/client';
import { analyzeLogic, type RuleAnalysisResult, type RuleWarning } from './api';
import type { DryRunSource } from './DryRunPanel';
import { displayReason, humanPath } from './model';
import { RequestErrorAlert } from '../components/ErrorState';

const TITLES: Record<RuleWarning['code'], string> = {
  RULE_NEVER_MATCHES: 'Never matches',
  RULE_SHADOWED: 'Shadowed by an earlier rule',
  RULES_OVERLAP: 'Overlaps an earlier rule',
  GATEWAY_NEVER_USABLE: 'Gateway cannot take these payments',
  ENFORCED_NO_GATEWAY: 'Payments left without a gateway',
};

function witnessText(w: RuleWarning): string | null {
  if (!w.witness?.length) return null;
  return w.witness.map((f) => `${f.dimension}: ${f.description}`).join(', ');
}

/** The warnings of one rule, for showing next to it (index null: the default gateways). */
export function warningsOfRule(result: RuleAnalysisResult | null, index: number | null): RuleWarning[] {
  return result ? result.warnings.filter((w) => w.rule_index === index) : [];
}

export function RuleWarningList({ warnings }: { warnings: RuleWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="alert alert-warning rule-warnings" data-testid="rule-warnings">
      {warnings.map((w, i) => {
        const witness = witnessText(w);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
          <li key={`${w.code}-${w.rule_index}-${w.other_rule_index ?? ''}-${w.gateway ?? ''}-${i}`} className="rule-warning" data-code={w.code}>
            <strong>{TITLES[w.code] ?? w.code}</strong>: {w.message}
            {witness ? <div className="muted small">For example: {witness}</div> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function RuleAnalysisPanel({ source, onResult }: { source: () => DryRunSource | null; onResult?: (r: RuleAnalysisResult | null) => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RuleAnalysisResult | null>(null);
  const [error, setError] = useState<{ message: string; fields: string[] } | null>(null);
  const base = useId();

  const check = async () => {
    const src = source();
    if (!src) return;
    setBusy(true);
    setError(null);
    try {
      const r = await analyzeLogic(src);
      setResult(r);
      onResult?.(r);
    } catch (err) {
      setResult(null);
      onResult?.(null);
      if (err instanceof ApiError) setError({ message: err.message, fields: err.fields.map((f) => `${humanPath(f.field_name)}: ${displayReason(f.reason)}`) });
      else setError({ message: 'Something went wrong. Please try again', fields: [] });
    } finally {
      setBusy(false);
    }
  };

  const byRule = new Map<number | null, RuleWarning[]>();
  for (const w of result?.warnings ?? []) byRule.set(w.rule_index, [...(byRule.get(w.rule_index) ?? []), w]);
  return (
    <section className="card" aria-labelledby={`${base}-title`} data-testid="rule-analysis">
      <h2 id={`${base}-title`}>Check the rules</h2>
      <p className="muted small">
        Looks for rules that can never match, rules that overlap, gateways a rule's payments cannot use and, when enforced, payments left without a gateway. Warnings only: nothing is blocked.
      </p>
      <button type="button" className="btn" onClick={() => void check()} disabled={busy}>
        {busy ? 'Checking…' : 'Check the rules'}
      </button>
      {error ? <RequestErrorAlert error={error} /> : null}
      {result ? (
        <div aria-live="polite">
          {!result.analysed ? (
            <p>This logic is too large to analyse exactly; no warnings were computed.</p>
          ) : result.warnings.length === 0 ? (
            <p data-testid="rule-analysis-clean">No problems found in the rules.</p>
          ) : null}
          {[...byRule].map(([index, list]) => (
            <div key={String(index)}>
              <h3 className="small">{index === null ? 'Default gateways' : `Rule ${index + 1}${list[0]?.rule_name ? ` (${list[0].rule_name})` : ''}`}</h3>
              <RuleWarningList warnings={list} />
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

/**
 * The rule check shown before a release (in the Activate / Stagger confirmation): the stored
 * logic's warnings, or that none were found. Loading or failing never blocks the release.
 */
export function ReleaseRuleCheck({ logicId }: { logicId: string }) {
  const loaded = useApiQuery(queryKeys.priorityLogic.analysis(logicId), (signal) => analyzeLogic({ logic_id: logicId }, signal));
  const result: RuleAnalysisResult | 'loading' | 'failed' = loaded.error ? 'failed' : (loaded.data ?? 'loading');
  if (result === 'loading') return <p className="muted small">Checking the rules…</p>;
  if (result === 'failed' || result === null) return <p className="muted small">The rules could not be checked.</p>;
  if (result.warnings.length === 0)
    return (
      <p className="muted small" data-testid="release-rule-check">
        Rule check: no problems found.
      </p>
    );
  return (
    <div data-testid="release-rule-check">
      <p>
        <strong>
          Rule check: {result.warnings.length} warning{result.warnings.length === 1 ? '' : 's'}.
        </strong>{' '}
        You can still release it.
      </p>
      <RuleWarningList warnings={result.warnings.slice(0, 5)} />
      {result.warnings.length > 5 ? <p className="muted small">and {result.warnings.length - 5} more (see "Check the rules" on this page).</p> : null}
    </div>
  );
}
