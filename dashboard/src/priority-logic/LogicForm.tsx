// The create / copy form of a Priority Logic: type (Advanced Routing: Rule-Based or Code-Based;
// Default Routing; Volume-Based Routing), name, description, Enforce Rule, ranking, the type's own
// editor, the Default gateways and the dry run. Server validation errors (ApiError.fields) are
// shown next to the field they name; client checks use the same field paths and messages.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useUnsavedChanges } from '../components/unsaved-changes';
import { DryRunPanel } from './DryRunPanel';
import { useMerchantGateways } from './gateways';
import { bannerOf, stalePrefixes, type SaveBanner } from './logic-form-state';
import { ConfigurationSection, DefaultGatewaysSection, DefinitionSection, KindChooser } from './LogicFormSections';
import { CODE_TEMPLATE, mergeErrors, newRule, serverFieldErrors, toLogicInput, validateDraft, type FieldErrors, type LogicDraft } from './model';
import { SaveErrorBanner } from './SaveErrorBanner';
import type { Logic, LogicInput, LogicKind } from './types';
import { useInvalidFields } from './use-invalid-fields';
import { useRuleAnalysis } from './use-rule-analysis';

interface LogicFormProps {
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
  const { invalid, invalidEls, focusFirstError } = useInvalidFields(formRef);
  // A filled form warns before it is left (in-app navigation and closing the tab); released on save.
  const pristine = useRef(initial).current;
  const releaseGuard = useUnsavedChanges(draft !== pristine);

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

  const analysis = useRuleAnalysis(draft, canDryRun, draftInput);

  const gatewayNote = gatewayError ? <p className="alert alert-warning small">The merchant’s gateways could not be loaded ({gatewayError}); type gateway names instead.</p> : null;

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
        {mode === 'create' ? <KindChooser kind={draft.kind} errors={errors} onChoose={chooseKind} /> : null}

        <ConfigurationSection draft={draft} set={set} errors={errors} />
        <DefinitionSection draft={draft} set={set} errors={errors} options={options} gatewayNote={gatewayNote} analysis={analysis} draftInput={draftInput} canDryRun={canDryRun} />
        <DefaultGatewaysSection draft={draft} set={set} errors={errors} options={options} gatewayNote={gatewayNote} />

        {banner && (banner.fieldCount === 0 || banner.code === 'SYNC_CONFLICT' || invalid.length > 0 || banner.unmapped.length > 0) ? (
          <SaveErrorBanner banner={banner} invalid={invalid} invalidEls={invalidEls} onSync={onSync} onSynced={() => setBanner(null)} />
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
