// The sections of the Priority Logic form: the type chooser (create only), the configuration
// (name, description, Enforce Rule, ranking), the type's own editor (rules, code or volume split)
// and the Default gateways. Each shows the errors at its field paths next to the field.
import { useId, type ReactNode } from 'react';
import { CodeLogicEditor } from './CodeLogicEditor';
import { FieldErrorList } from './FieldErrors';
import { GatewayListEditor } from './GatewayListEditor';
import type { RuleAnalysisResult } from './api';
import type { GatewayOption } from './gateways';
import { errorsAt, type FieldErrors, type LogicDraft } from './model';
import { RuleBuilder } from './RuleBuilder';
import { RuleWarningList, warningsOfRule } from './RuleAnalysisPanel';
import { RANKING_LABELS, type LogicInput, type LogicKind, type RankingMode } from './types';
import { VolumeSplitEditor } from './VolumeSplitEditor';

interface KindOption {
  kind: LogicKind;
  group: string;
  title: string;
  description: string;
}

const KIND_OPTIONS: KindOption[] = [
  { kind: 'RULES', group: 'Advanced Routing', title: 'Rule-Based', description: 'Create rules using a visual drag-and-drop “if–then” interface.' },
  { kind: 'CODE', group: 'Advanced Routing', title: 'Code-Based', description: 'Define routing behaviour with custom JavaScript (requires approval).' },
  { kind: 'DEFAULT', group: 'Default Routing', title: 'Default Routing', description: 'Traffic is routed according to the priority order of gateways.' },
  { kind: 'VOLUME', group: 'Volume-Based Routing', title: 'Volume-Based Routing', description: 'Distribute traffic across gateways by percentage weights.' },
];

export function KindChooser({ kind, errors, onChoose }: { kind: LogicKind; errors: FieldErrors; onChoose: (kind: LogicKind) => void }) {
  return (
    <section className="card" aria-labelledby="kind-title">
      <h2 id="kind-title">Type</h2>
      <div className="kind-chooser" role="radiogroup" aria-label="Priority Logic type">
        {KIND_OPTIONS.map((o) => (
          <button key={o.kind} type="button" role="radio" aria-checked={kind === o.kind} aria-label={o.title} className="kind-option" onClick={() => onChoose(o.kind)}>
            <span className="group">{o.group}</span>
            <span className="title">{o.title}</span>
            <span className="desc">{o.description}</span>
          </button>
        ))}
      </div>
      <FieldErrorList messages={errorsAt(errors, 'kind', true)} />
    </section>
  );
}

interface SectionProps {
  draft: LogicDraft;
  set: (patch: Partial<LogicDraft>) => void;
  errors: FieldErrors;
}

export function ConfigurationSection({ draft, set, errors }: SectionProps) {
  const ids = { name: useId(), description: useId(), enforce: useId(), ranking: useId(), nameErr: useId() };
  const nameErrors = errorsAt(errors, 'name');
  return (
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
            <input id={ids.enforce} type="checkbox" role="switch" aria-checked={draft.enforce} checked={draft.enforce} onChange={(e) => set({ enforce: e.target.checked })} />
            Enforce Rule
          </label>
          <span className="hint">
            When enabled, transactions route only through the gateways this logic names. Once enforced, there is no fallback to other gateways if a transaction fails on the configured route.
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
  );
}

interface DefinitionSectionProps extends SectionProps {
  options: GatewayOption[];
  gatewayNote: ReactNode;
  analysis: RuleAnalysisResult | null;
  draftInput: () => LogicInput;
  canDryRun: boolean;
}

/** The editor of the chosen type: the rules, the code or the volume split (none for Default Routing). */
export function DefinitionSection({ draft, set, errors, options, gatewayNote, analysis, draftInput, canDryRun }: DefinitionSectionProps) {
  return (
    <>
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
    </>
  );
}

export function DefaultGatewaysSection({ draft, set, errors, options, gatewayNote }: SectionProps & { options: GatewayOption[]; gatewayNote: ReactNode }) {
  const defaultErrorsPath = 'defaultGateways';
  return (
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
  );
}
