// The create / copy form of a Priority Logic: type (Advanced Routing: Rule-Based or Code-Based;
// Default Routing; Volume-Based Routing), name, description, Enforce Rule, ranking, the type's own
// editor, the Default gateways and the dry run. Server validation errors (ApiError.fields) are
// shown next to the field they name; client checks use the same field paths and messages.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ApiError, type ApiErrorCode } from '../api/client';
import { useUnsavedChanges } from '../components/unsaved-changes';
import { FieldErrorList } from './FieldErrors';
import { GatewayListEditor } from './GatewayListEditor';
import { VolumeSplitEditor } from './VolumeSplitEditor';
import { RuleBuilder } from './RuleBuilder';
import { CodeLogicEditor } from './CodeLogicEditor';
import { DryRunPanel } from './DryRunPanel';
import { analyzeLogic, type RuleAnalysisResult } from './api';
import { RuleWarningList, warningsOfRule } from './RuleAnalysisPanel';
import { useMerchantGateways } from './gateways';
import {
  CODE_TEMPLATE, errorsAt, isFormField, mergeErrors, newRule, serverFieldErrors, toLogicInput, validateDraft, locatedReason,
  type FieldErrors, type LogicDraft,
} from './model';
import { RANKING_LABELS, type Logic, type LogicInput, type LogicKind, type RankingMode } from './types';

interface KindOption {
  kind: LogicKind;
  group: string;
  title: string;
  description: string;
}

export const KIND_OPTIONS: KindOption[] = [
  { kind: 'RULES', group: 'Advanced Routing', title: 'Rule-Based', description: 'Create rules using a visual drag-and-drop “if–then” interface.' },
  { kind: 'CODE', group: 'Advanced Routing', title: 'Code-Based', description: 'Define routing behaviour with custom JavaScript (requires approval).' },
  { kind: 'DEFAULT', group: 'Default Routing', title: 'Default Routing', description: 'Traffic is routed according to the priority order of gateways.' },
  { kind: 'VOLUME', group: 'Volume-Based Routing', title: 'Volume-Based Routing', description: 'Distribute traffic across gateways by percentage weights.' },
];

interface InvalidField {
  label: string;
  message: string;
}

export interface SaveBanner {
  code: ApiErrorCode | 'NETWORK';
  message: string;
  unmapped: string[];
  fieldCount: number;
}

export interface LogicFormProps {
  initial: LogicDraft;
  mode: 'create' | 'copy';
  /** Saves the input (create or copy); throws ApiError on refusal. */
  onSave: (input: LogicInput) => Promise<Logic>;
  onSaved: (logic: Logic) => void;
  onCancel?: () => void;
  /** Sync after a SYNC_CONFLICT (copy: reload the source's version). */
  onSync?: () => Promise<void> | void;
  canDryRun?: boolean;
  heading?: ReactNode;
}

const SIMPLE: [keyof LogicDraft, string][] = [
  ['name', 'name'], ['description', 'description'], ['enforce', 'enforce'], ['rankingMode', 'ranking'], ['defaultGateways', 'defaultGateways'],
  ['splits', 'definition.splits'], ['code', 'definition.code'],
];

/** The server field paths a change makes stale. */
export function stalePrefixes(prev: LogicDraft, next: LogicDraft): string[] {
  const out = SIMPLE.filter(([k]) => prev[k] !== next[k]).map(([, p]) => p);
  if (prev.rules !== next.rules) {
    const sameShape = prev.rules.length === next.rules.length && prev.rules.every((r, i) => r.id === next.rules[i]!.id);
    if (!sameShape) out.push('definition.rules');
    else next.rules.forEach((r, i) => r !== prev.rules[i] && out.push(`definition.rules[${i}]`));
  }
  if (prev.kind !== next.kind) out.push('kind', 'definition');
  return out;
}

function bannerOf(e: unknown, draft: LogicDraft): SaveBanner {
  if (e instanceof ApiError) {
    const unmapped = e.fields.filter((f) => !isFormField(f.field_name, draft)).map((f) => locatedReason(f.field_name, f.reason));
    const message = e.status >= 500 ? 'Something went wrong. Please try again' : e.message;
    return { code: e.code, message, unmapped, fieldCount: e.fields.length - unmapped.length };
  }
  return { code: 'NETWORK', message: 'Something went wrong. Please try again', unmapped: [], fieldCount: 0 };
}

export function LogicForm({ initial, mode, onSave, onSaved, onCancel, onSync, canDryRun = true, heading }: LogicFormProps) {
  const [draft, setDraft] = useState<LogicDraft>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<SaveBanner | null>(null);
  const [busy, setBusy] = useState(false);
  const { options, error: gatewayError } = useMerchantGateways();
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useRef(false);
  const [invalid, setInvalid] = useState<InvalidField[]>([]);
  const invalidEls = useRef<HTMLElement[]>([]);
  // A filled form warns before it is left (in-app navigation and closing the tab); released on save.
  const pristine = useRef(initial).current;
  const releaseGuard = useUnsavedChanges(draft !== pristine);
  const ids = { name: useId(), description: useId(), enforce: useId(), ranking: useId(), nameErr: useId() };

  const client = useMemo(() => validateDraft(draft), [draft]);
  const errors = useMemo(() => mergeErrors(server, submitted ? client : {}), [server, client, submitted]);
  const set = (patch: Partial<LogicDraft>) => {
    const prev = draftRef.current;
    const next = { ...prev, ...patch };
    draftRef.current = next;
    setDraft(next);
    // A server message goes once the user changes the part of the form it is about.
    const stale = stalePrefixes(prev, next);
    if (stale.length) setServer((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !stale.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`)))));
  };

  const chooseKind = (kind: LogicKind) => {
    const d = draftRef.current;
    set({ kind, rules: kind === 'RULES' && d.rules.length === 0 ? [newRule(0)] : d.rules, code: kind === 'CODE' && !d.code.trim() ? CODE_TEMPLATE : d.code });
  };

  const save = async () => {
    setSubmitted(true);
    setBusy(true);
    setBanner(null);
    try {
      const logic = await onSave(toLogicInput(draftRef.current, { alwaysRanking: mode === 'copy' }));
      setServer({});
      releaseGuard();
      onSaved(logic);
    } catch (e) {
      setServer(e instanceof ApiError ? serverFieldErrors(e.fields) : {});
      setBanner(bannerOf(e, draftRef.current));
      focusFirstError.current = true;
    } finally {
      setBusy(false);
    }
  };

  const draftInput = (): LogicInput => {
    const input = toLogicInput(draftRef.current, { alwaysRanking: true });
    return { ...input, name: input.name || 'draft' };
  };

  // Rule warnings while the rules are edited: the draft is analysed half a second after it last
  // changed (docs/priority-logic-api.md#rule-analysis); a draft the server refuses (still being
  // filled in) shows none. Warnings never block saving.
  // Asked through the one query client (a draft already analysed in the last minute is answered from
  // the cache; an imperative fetch is not retried: the warnings are advice), once per answer: the
  // form does not re-render on every fetch state.
  const queries = useAppQueryClient();
  const [analysis, setAnalysis] = useState<RuleAnalysisResult | null>(null);
  useEffect(() => {
    if (draft.kind !== 'RULES' || !canDryRun) {
      setAnalysis(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const input = draftInput();
      queries
        .fetchQuery({ queryKey: queryKeys.priorityLogic.draftAnalysis(input), queryFn: ({ signal }) => analyzeLogic({ logic: input }, signal), staleTime: 60_000 })
        .then(
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

  // The fields now in error, in page order, read from the messages shown next to them: the banner
  // links to each, disappears once they are fixed, and focus moves to the first after a refused save.
  useLayoutEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const found: InvalidField[] = [];
    const els: HTMLElement[] = [];
    for (const msg of form.querySelectorAll<HTMLElement>('.field-error')) {
      if (msg.closest('[data-testid="form-error"]')) continue;
      const field = msg.closest('.field');
      const section = msg.closest('section');
      const scope = field ?? section;
      const control = scope?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea, [role=radio], button:not([disabled])') ?? null;
      const labelText = (!field ? section?.querySelector('h2')?.textContent : null) ?? (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement ? control.labels?.[0]?.textContent : null) ?? control?.getAttribute('aria-label') ?? section?.querySelector('h2')?.textContent ?? 'Field';
      found.push({ label: labelText.trim(), message: (msg.textContent ?? '').trim() });
      els.push(control ?? msg);
    }
    invalidEls.current = els;
    const key = (l: InvalidField[]) => l.map((f) => `${f.label}\u0000${f.message}`).join('\u0001');
    if (key(found) !== key(invalid)) setInvalid(found);
    if (focusFirstError.current && els.length) {
      focusFirstError.current = false;
      els[0]!.focus();
    }
  });

  const nameErrors = errorsAt(errors, 'name');
  const kindErrors = errorsAt(errors, 'kind', true);
  const defaultErrorsPath = 'defaultGateways';
  const gatewayNote = gatewayError ? (
    <p className="alert alert-warning small">The merchant’s gateways could not be loaded ({gatewayError}); type gateway names instead.</p>
  ) : null;

  return (
    <>
    <form
      ref={formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
      aria-label={mode === 'copy' ? 'Copy Priority Logic' : 'Create Priority Logic'}
    >
      {heading}
      {mode === 'create' ? (
        <section className="card" aria-labelledby="kind-title">
          <h2 id="kind-title">Type</h2>
          <div className="kind-chooser" role="radiogroup" aria-label="Priority Logic type">
            {KIND_OPTIONS.map((o) => (
              <button
                key={o.kind}
                type="button"
                role="radio"
                aria-checked={draft.kind === o.kind}
                aria-label={o.title}
                className="kind-option"
                onClick={() => chooseKind(o.kind)}
              >
                <span className="group">{o.group}</span>
                <span className="title">{o.title}</span>
                <span className="desc">{o.description}</span>
              </button>
            ))}
          </div>
          <FieldErrorList messages={kindErrors} />
        </section>
      ) : null}

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">Configuration</h2>
        <div className="grid-2">
          <div className="field">
            <label htmlFor={ids.name}>Configuration Name</label>
            <input
              id={ids.name}
              type="text"
              value={draft.name}
              onChange={(e) => set({ name: e.target.value })}
              aria-invalid={nameErrors.length > 0 || undefined}
              aria-describedby={nameErrors.length ? ids.nameErr : undefined}
              maxLength={200}
            />
            <FieldErrorList id={ids.nameErr} messages={nameErrors} testId="name-errors" />
          </div>
          <div className="field">
            <label htmlFor={ids.description}>Description</label>
            <input id={ids.description} type="text" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
            <FieldErrorList messages={errorsAt(errors, 'description', true)} />
          </div>
          <div className="field">
            <label className="switch" htmlFor={ids.enforce}>
              <input id={ids.enforce} type="checkbox" role="switch" checked={draft.enforce} onChange={(e) => set({ enforce: e.target.checked })} />
              Enforce Rule
            </label>
            <span className="hint">
              When enabled, transactions route only through the gateways this logic names. Once enforced, there is no fallback to other gateways if a transaction fails on the
              configured route.
            </span>
            <FieldErrorList messages={errorsAt(errors, 'enforce', true)} />
          </div>
          <div className="field">
            <label htmlFor={ids.ranking}>Success-rate ranking</label>
            <select id={ids.ranking} value={draft.rankingMode} onChange={(e) => set({ rankingMode: e.target.value as RankingMode })}>
              {(Object.keys(RANKING_LABELS) as RankingMode[]).map((m) => (
                <option key={m} value={m}>
                  {RANKING_LABELS[m]}
                </option>
              ))}
            </select>
            <FieldErrorList messages={errorsAt(errors, 'ranking', true)} />
          </div>
        </div>
      </section>

      {draft.kind === 'RULES' ? (
        <section className="card" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          {gatewayNote}
          <RuleBuilder rules={draft.rules} onChange={(rules) => set({ rules })} options={options} errors={errors} warnings={(i) => warningsOfRule(analysis, i)} />
          <FieldErrorList messages={errorsAt(errors, 'definition.rules')} />
          <RuleWarningList warnings={warningsOfRule(analysis, null)} />
        </section>
      ) : null}

      {draft.kind === 'CODE' ? (
        <section className="card" aria-labelledby="code-title">
          <h2 id="code-title">Code</h2>
          <CodeLogicEditor code={draft.code} onChange={(code) => set({ code })} errors={errorsAt(errors, 'definition.code', true)} draft={draftInput} canCheck={canDryRun} />
        </section>
      ) : null}

      {draft.kind === 'VOLUME' ? (
        <section className="card" aria-labelledby="volume-title">
          <h2 id="volume-title">Volume split</h2>
          <p className="muted small">Routes traffic across gateways by weight. Adjust the weights for performance or cost; they must sum to 100%.</p>
          {gatewayNote}
          <VolumeSplitEditor label="Volume split" items={draft.splits} onChange={(splits) => set({ splits })} options={options} errors={errors} path="definition.splits" testId="volume-split" />
        </section>
      ) : null}

      <section className="card" aria-labelledby="defaults-title">
        <h2 id="defaults-title">{draft.kind === 'DEFAULT' ? 'Gateway priority (Default gateways)' : 'Default Gateways'}</h2>
        <p className="muted small">
          {draft.kind === 'DEFAULT'
            ? 'Traffic is routed to these gateways in this order. Drag to reorder.'
            : 'Fallback gateways, in order: used when no rule matches, and as the cascade after the logic’s own list unless the logic is enforced. At least one.'}
        </p>
        {draft.kind === 'DEFAULT' || draft.kind === 'CODE' ? gatewayNote : null}
        <GatewayListEditor
          label="Default gateways"
          items={draft.defaultGateways}
          onChange={(defaultGateways) => set({ defaultGateways })}
          options={options}
          errors={errors}
          path={defaultErrorsPath}
          testId="default-gateways"
        />
      </section>

      {banner && (banner.fieldCount === 0 || banner.code === 'SYNC_CONFLICT' || invalid.length > 0 || banner.unmapped.length > 0) ? (
        <div className="alert alert-error" role="alert" data-testid="form-error">
          {banner.code === 'SYNC_CONFLICT' ? (
            <div className="row">
              <span>Error! Try Syncing again</span>
              {onSync ? (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={async () => {
                    await onSync();
                    setBanner(null);
                  }}
                >
                  Sync
                </button>
              ) : null}
            </div>
          ) : banner.fieldCount > 0 ? (
            <div>
              The Priority Logic was not saved. Please correct {invalid.length === 1 ? 'this field' : `these ${invalid.length} problems`}:
              <ul className="form-banner-fields">
                {invalid.map((f, i) => (
                  <li key={`${f.label}-${f.message}-${i}`}>
                    <a
                      href="#"
                      onClick={(e) => {
                        e.preventDefault();
                        invalidEls.current[i]?.focus();
                      }}
                    >
                      {f.label}
                    </a>
                    : {f.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <span>{banner.message}</span>
          )}
          {banner.unmapped.length ? (
            <ul>
              {banner.unmapped.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className="row" style={{ marginBottom: 18 }}>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {submitted && Object.keys(client).length > 0 && !banner ? <span className="field-error">Some fields need attention.</span> : null}
      </div>
    </form>
    {canDryRun ? <DryRunPanel source={() => ({ logic: draftInput() })} /> : null}
    </>
  );
}
