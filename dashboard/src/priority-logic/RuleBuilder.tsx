// The visual if-then builder of a Rule-Based logic: an ordered list of rules (first match wins),
// each with a condition tree (AND/OR groups nested to any depth, conditions on the engine's
// dimensions) and an output (a priority list, a volume split, or a volume split of priority lists).
// Rules, conditions and groups are reordered by drag and drop.
import { useId } from 'react';
import { SortableList } from '../components/SortableList';
import { FieldErrorList } from './FieldErrors';
import { GatewayListEditor } from './GatewayListEditor';
import { PrioritySplitEditor, VolumeSplitEditor } from './VolumeSplitEditor';
import { errorsAt, newOtherwiseRule, newRule, otherwiseLast, rulePath, type FieldErrors, type OutputDraft, type OutputType, type RuleDraft } from './model';
import type { GatewayOption } from './gateways';
import type { RuleWarning } from './api';
import { RuleWarningList } from './RuleAnalysisPanel';
import { ConditionGroupEditor } from './ConditionEditor';

interface RuleBuilderProps {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
  options: GatewayOption[];
  errors: FieldErrors;
  /** The rule analysis' warnings of the rule at this index, shown under its name. */
  warnings?: (index: number) => RuleWarning[];
}

export function RuleBuilder({ rules, onChange, options, errors, warnings }: RuleBuilderProps) {
  const update = (id: string, next: RuleDraft) => onChange(rules.map((r) => (r.id === id ? next : r)));
  return (
    <div className="stack" data-testid="rule-builder">
      <p className="muted small" style={{ margin: 0 }}>
        Rules are checked from top to bottom; the first rule whose conditions match decides. When no rule matches, the “Otherwise” rule decides if there is one, else the Default gateways are used.
      </p>
      {rules.length === 0 ? (
        <p className="empty">No rules yet. Without rules every payment uses the Default gateways.</p>
      ) : (
        <SortableList
          label="Rules"
          block
          items={rules}
          getId={(r) => r.id}
          getLabel={(r, i) => `rule ${i + 1}${r.name ? ` (${r.name})` : ''}`}
          onReorder={(next) => onChange(otherwiseLast(next))}
          data-testid="rules-list"
          renderItem={(r, i) => (
            <RuleEditor
              rule={r}
              index={i}
              onChange={(next) => update(r.id, next)}
              onRemove={() => onChange(rules.filter((x) => x.id !== r.id))}
              options={options}
              errors={errors}
              warnings={warnings?.(i) ?? []}
            />
          )}
        />
      )}
      <div className="row">
        <button type="button" className="btn" onClick={() => onChange(otherwiseLast([...rules, newRule(rules.filter((r) => !r.otherwise).length)]))}>
          + Add rule
        </button>
        {rules.some((r) => r.otherwise) ? null : (
          <button type="button" className="btn" onClick={() => onChange([...rules, newOtherwiseRule()])}>
            + Add “Otherwise” rule
          </button>
        )}
      </div>
    </div>
  );
}

function RuleEditor({
  rule,
  index,
  onChange,
  onRemove,
  options,
  errors,
  warnings,
}: {
  rule: RuleDraft;
  index: number;
  onChange: (r: RuleDraft) => void;
  onRemove: () => void;
  options: GatewayOption[];
  errors: FieldErrors;
  warnings: RuleWarning[];
}) {
  const path = rulePath(index);
  const nameId = useId();
  const label = `Rule ${index + 1}`;
  const ruleLevel = [...errorsAt(errors, path), ...errorsAt(errors, `${path}.name`), ...errorsAt(errors, `${path}.condition`)];
  return (
    <section className="rule-card" aria-label={label} data-testid={`rule-${index}`}>
      <div className="rule-head">
        <strong>{label}</strong>
        <label htmlFor={nameId} className="sr-only">
          {label} name
        </label>
        <input id={nameId} type="text" value={rule.name} placeholder="Rule name" onChange={(e) => onChange({ ...rule, name: e.target.value })} />
        <button type="button" className="btn btn-small btn-danger" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove rule
        </button>
      </div>
      <FieldErrorList messages={ruleLevel} />
      <RuleWarningList warnings={warnings} />
      {rule.otherwise ? (
        <p className="rule-section-label" data-testid={`otherwise-${index}`}>
          Otherwise: every payment that no rule above matched
        </p>
      ) : (
        <>
          <div className="rule-section-label">If</div>
          <ConditionGroupEditor group={rule.root} path={`${path}.condition`} depth={0} onChange={(root) => onChange({ ...rule, root })} errors={errors} />
        </>
      )}
      <div className="rule-section-label">Then</div>
      <OutputEditor output={rule.output} ruleLabel={label} path={`${path}.output`} onChange={(output) => onChange({ ...rule, output })} options={options} errors={errors} />
    </section>
  );
}

const OUTPUT_LABELS: Record<OutputType, string> = {
  PRIORITY: 'Priority list',
  VOLUME_SPLIT: 'Volume split',
  VOLUME_SPLIT_PRIORITY: 'Volume split of priority lists',
};

function OutputEditor({
  output,
  ruleLabel,
  path,
  onChange,
  options,
  errors,
}: {
  output: OutputDraft;
  ruleLabel: string;
  path: string;
  onChange: (o: OutputDraft) => void;
  options: GatewayOption[];
  errors: FieldErrors;
}) {
  const typeId = useId();
  return (
    <div className="stack" data-testid={`output-${path.replace(/^definition\./, '')}`}>
      <div className="row">
        <label htmlFor={typeId} className="small muted">
          Route to
        </label>
        <select id={typeId} aria-label="Output type" value={output.type} onChange={(e) => onChange({ ...output, type: e.target.value as OutputType })} style={{ width: 'auto' }}>
          {(Object.keys(OUTPUT_LABELS) as OutputType[]).map((t) => (
            <option key={t} value={t}>
              {OUTPUT_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      {output.type === 'PRIORITY' ? (
        <GatewayListEditor
          label={`${ruleLabel} gateways`}
          items={output.gateways}
          onChange={(gateways) => onChange({ ...output, gateways })}
          options={options}
          errors={errors}
          path={`${path}.gateways`}
        />
      ) : output.type === 'VOLUME_SPLIT' ? (
        <VolumeSplitEditor
          label={`${ruleLabel} split`}
          items={output.splits}
          onChange={(splits) => onChange({ ...output, splits })}
          options={options}
          errors={errors}
          path={`${path}.splits`}
          testId={`${ruleLabel.replace(' ', '-').toLowerCase()}-split`}
        />
      ) : (
        <PrioritySplitEditor
          label={`${ruleLabel} split`}
          items={output.prioritySplits}
          onChange={(prioritySplits) => onChange({ ...output, prioritySplits })}
          options={options}
          errors={errors}
          path={`${path}.splits`}
          testId={`${ruleLabel.replace(' ', '-').toLowerCase()}-split`}
        />
      )}
      <FieldErrorList messages={[...errorsAt(errors, path), ...errorsAt(errors, `${path}.type`)]} />
    </div>
  );
}
