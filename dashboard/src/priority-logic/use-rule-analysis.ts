// Rule warnings while a Rule-Based draft is edited (docs/priority-logic-api.md#rule-analysis).
import { useEffect, useState } from 'react';
import { useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { analyzeLogic, type RuleAnalysisResult } from './api';
import type { LogicDraft } from './model';
import type { LogicInput } from './types';

/** `draftInput` reads the latest draft (through a ref); `draft` itself is the trigger. */
export function useRuleAnalysis(draft: LogicDraft, canDryRun: boolean, draftInput: () => LogicInput): RuleAnalysisResult | null {
  // Rule warnings while the rules are edited: the draft is analysed half a second after it last
  // changed (docs/priority-logic-api.md#rule-analysis); a draft the server refuses (still being
  // filled in) shows none. Warnings never block saving.
  // Asked through the one query client (a draft already analysed in the last minute is answered from
  // the cache; an imperative fetch is not retried: the warnings are advice), once per answer: the
  // form does not re-render on every fetch state.
  const queries = useAppQueryClient();
  const [analysis, setAnalysis] = useState<RuleAnalysisResult | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: draftInput reads the latest draft through a ref; the draft itself is the trigger
  useEffect(() => {
    if (draft.kind !== 'RULES' || !canDryRun) {
      setAnalysis(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const input = draftInput();
      queries.fetchQuery({ queryKey: queryKeys.priorityLogic.draftAnalysis(input), queryFn: ({ signal }) => analyzeLogic({ logic: input }, signal), staleTime: 60_000 }).then(
        (r) => live && setAnalysis(r),
        () => live && setAnalysis(null),
      );
    }, 500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // draftInput reads the latest draft through a ref; the draft itself is the trigger.
  }, [draft, canDryRun, queries]);
  return analysis;
}
