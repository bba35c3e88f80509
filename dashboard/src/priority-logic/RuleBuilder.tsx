// The visual if-then builder of a Rule-Based logic: an ordered list of rules (first match wins),
// each with a condition tree (AND/OR groups nested to any depth, conditions on the engine's
// dimensions) and an output (a priority list, a volume split, or a volume split of priority lists).
// Rules, conditions and groups are reordered by drag and drop.
import { useEffect, useId, useRef } from 'react';
import { SortableList } from '../components/SortableList';
import { FieldErrorList } from './FieldErrors';
import { GatewayListEditor } from './GatewayListEditor';
import { PrioritySplitEditor, VolumeSplitEditor } from './VolumeSplitEditor';
import {
  AMOUNT_CURRENCIES, DIMENSIONS, OPERATOR_LABELS, OPERATORS_BY_KIND, childPath, dimensionInfo, errorsAt, newGroup, newLeaf, newOtherwiseRule, newRule, otherwiseLast,
  rulePath, valueShape, withDimension, withOperator,
  type ConditionDraft, type FieldErrors, type GroupDraft, type LeafDraft, type OutputDraft, type OutputType, type RuleDraft,
} from './model';
import type { GatewayOption } from './gateways';
import type { Operator } from './types';
import type { RuleWarning } from './api';
import { RuleWarningList } from './RuleAnalysisPanel';

interface RuleBuilderProps {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
  options: GatewayOption[];
  errors: FieldErrors;
  /** The rule analysis' warnings of the rule at this index, shown under its name. */
  warnings?: (index: number) => RuleWarning[];
}

const DIMENSION_GROUPS = [...new Set(DIMENSIONS.map((d) => d.group))];

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
  rule, index, onChange, onRemove, options, errors, warnings,
}: { rule: RuleDraft; index: number; onChange: (r: RuleDraft) => void; onRemove: () => void; options: GatewayOption[]; errors: FieldErrors; warnings: RuleWarning[] }) {
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

const testIdOf = (path: string) => `cond-${path.replace(/^definition\./, '')}`;

function conditionLabel(c: ConditionDraft, index: number): string {
  if (c.type === 'group') return `group ${index + 1} (${c.op === 'all' ? 'all' : 'any'})`;
  const info = dimensionInfo(c.dimension);
  return `condition ${index + 1}${info ? ` (${info.label})` : ''}`;
}

export function ConditionGroupEditor({
  group, path, depth, onChange, onRemove, errors,
}: { group: GroupDraft; path: string; depth: number; onChange: (g: GroupDraft) => void; onRemove?: () => void; errors: FieldErrors }) {
  const opId = useId();
  const setChild = (id: string, next: ConditionDraft) => onChange({ ...group, children: group.children.map((c) => (c.id === id ? next : c)) });
  const removeChild = (id: string) => onChange({ ...group, children: group.children.filter((c) => c.id !== id) });
  const where = depth === 0 ? 'rule' : 'group';
  return (
    <div className={`cond-group ${group.op}`} data-testid={testIdOf(path)} role="group" aria-label={depth === 0 ? 'Conditions' : `Condition group (${group.op === 'all' ? 'all' : 'any'})`}>
      <div className="group-head">
        <label htmlFor={opId} className="small muted">
          Match
        </label>
        <select id={opId} aria-label="Match" value={group.op} onChange={(e) => onChange({ ...group, op: e.target.value as 'all' | 'any' })} style={{ width: 'auto' }}>
          <option value="all">ALL of (AND)</option>
          <option value="any">ANY of (OR)</option>
        </select>
        <span className="small muted">the conditions below</span>
        <span className="spacer" />
        {onRemove ? (
          <button type="button" className="btn btn-small btn-danger" onClick={onRemove}>
            Remove group
          </button>
        ) : null}
      </div>
      {group.children.length === 0 ? (
        <p className="muted small">No condition in this {where}: add one.</p>
      ) : (
        <SortableList
          label={depth === 0 ? 'Conditions' : 'Group conditions'}
          block
          items={group.children}
          getId={(c) => c.id}
          getLabel={conditionLabel}
          onReorder={(children) => onChange({ ...group, children })}
          renderItem={(c, j) => {
            const p = childPath(path, group.op, j);
            return c.type === 'group' ? (
              <ConditionGroupEditor group={c} path={p} depth={depth + 1} onChange={(g) => setChild(c.id, g)} onRemove={() => removeChild(c.id)} errors={errors} />
            ) : (
              <ConditionLeafEditor leaf={c} path={p} onChange={(l) => setChild(c.id, l)} onRemove={() => removeChild(c.id)} errors={errors} />
            );
          }}
        />
      )}
      <FieldErrorList messages={[...errorsAt(errors, path), ...errorsAt(errors, `${path}.${group.op}`)]} />
      <div className="group-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const leaf = newLeaf();
            focusOnMount = leaf.id; // the new row's first field takes the focus (it appears above this button)
            onChange({ ...group, children: [...group.children, leaf] });
          }}
        >
          + Add condition
        </button>
        <button type="button" className="btn btn-small" onClick={() => onChange({ ...group, children: [...group.children, newGroup(group.op === 'all' ? 'any' : 'all')] })}>
          + Add group
        </button>
      </div>
    </div>
  );
}

/** The id of a condition just added: its Dimension field takes the focus when it appears. */
let focusOnMount: string | null = null;

function ConditionLeafEditor({
  leaf, path, onChange, onRemove, errors,
}: { leaf: LeafDraft; path: string; onChange: (l: LeafDraft) => void; onRemove: () => void; errors: FieldErrors }) {
  const info = dimensionInfo(leaf.dimension);
  const kind = info?.kind ?? 'string';
  const operators = OPERATORS_BY_KIND[kind];
  const shape = valueShape(leaf.operator);
  const listId = useId();
  const errId = useId();
  const messages = errorsAt(errors, path, true);
  const invalid = messages.length > 0;
  const suggestions = info?.suggestions ?? [];
  const describedBy = invalid ? errId : undefined;
  const valueProps = { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, list: suggestions.length ? listId : undefined };
  const isTime = kind === 'time';
  const placeholder =
    kind === 'bin' ? (leaf.operator === 'starts_with' ? 'e.g. 4111' : 'e.g. 411111') : isTime ? 'HH:MM' : kind === 'amount' ? (leaf.currency ? 'e.g. 500.00' : 'minor units, e.g. 50000') : kind === 'number' ? 'e.g. 6' : 'value';

  const dimRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (focusOnMount === leaf.id) {
      focusOnMount = null;
      dimRef.current?.focus();
    }
  }, [leaf.id]);

  return (
    <div className="cond-leaf" data-testid={testIdOf(path)}>
      <select
        ref={dimRef}
        className="dim"
        aria-label="Dimension"
        value={leaf.dimension}
        onChange={(e) => onChange(withDimension(leaf, e.target.value))}
        aria-invalid={invalid || undefined}
      >
        {DIMENSION_GROUPS.map((g) => (
          <optgroup key={g} label={g}>
            {DIMENSIONS.filter((d) => d.group === g).map((d) => (
              <option key={d.name} value={d.name}>
                {d.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {leaf.dimension === 'metadata' ? (
        <input type="text" aria-label="Metadata key" placeholder="key" value={leaf.metadataKey} onChange={(e) => onChange({ ...leaf, metadataKey: e.target.value })} style={{ width: 120 }} />
      ) : null}
      <select className="op" aria-label="Operator" value={leaf.operator} onChange={(e) => onChange(withOperator(leaf, e.target.value as Operator))}>
        {operators.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABELS[op]}
          </option>
        ))}
      </select>
      <div className="val">
        {kind === 'boolean' ? (
          <select aria-label="Value" value={leaf.value === 'false' ? 'false' : 'true'} onChange={(e) => onChange({ ...leaf, value: e.target.value })}>
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : shape === 'list' ? (
          <input
            type="text"
            aria-label={leaf.operator === 'starts_with' ? 'Prefixes (comma-separated)' : 'Values (comma-separated)'}
            placeholder={leaf.operator === 'starts_with' ? `${placeholder}, …` : `${placeholder}, …`}
            value={leaf.values}
            onChange={(e) => onChange({ ...leaf, values: e.target.value })}
            {...valueProps}
          />
        ) : shape === 'range' ? (
          <>
            <input type="text" aria-label="Range start" placeholder={placeholder} value={leaf.from} onChange={(e) => onChange({ ...leaf, from: e.target.value })} {...valueProps} />
            <span className="muted small">and</span>
            <input type="text" aria-label="Range end" placeholder={placeholder} value={leaf.to} onChange={(e) => onChange({ ...leaf, to: e.target.value })} {...valueProps} />
          </>
        ) : (
          <input type="text" aria-label="Value" placeholder={placeholder} value={leaf.value} onChange={(e) => onChange({ ...leaf, value: e.target.value })} {...valueProps} />
        )}
        {kind === 'amount' ? (
          <select className="currency" aria-label="Currency" value={leaf.currency} onChange={(e) => onChange({ ...leaf, currency: e.target.value })}>
            {AMOUNT_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
            <option value="">any (minor units)</option>
          </select>
        ) : null}
        {suggestions.length ? (
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        ) : null}
      </div>
      <button type="button" className="btn btn-small btn-icon" aria-label="Remove condition" title="Remove condition" onClick={onRemove}>
        ×
      </button>
      <div className="cond-errors">
        <FieldErrorList id={errId} messages={messages} />
      </div>
    </div>
  );
}

const OUTPUT_LABELS: Record<OutputType, string> = {
  PRIORITY: 'Priority list',
  VOLUME_SPLIT: 'Volume split',
  VOLUME_SPLIT_PRIORITY: 'Volume split of priority lists',
};

function OutputEditor({
  output, ruleLabel, path, onChange, options, errors,
}: { output: OutputDraft; ruleLabel: string; path: string; onChange: (o: OutputDraft) => void; options: GatewayOption[]; errors: FieldErrors }) {
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
        <GatewayListEditor label={`${ruleLabel} gateways`} items={output.gateways} onChange={(gateways) => onChange({ ...output, gateways })} options={options} errors={errors} path={`${path}.gateways`} />
      ) : output.type === 'VOLUME_SPLIT' ? (
        <VolumeSplitEditor label={`${ruleLabel} split`} items={output.splits} onChange={(splits) => onChange({ ...output, splits })} options={options} errors={errors} path={`${path}.splits`} testId={`${ruleLabel.replace(' ', '-').toLowerCase()}-split`} />
      ) : (
        <PrioritySplitEditor label={`${ruleLabel} split`} items={output.prioritySplits} onChange={(prioritySplits) => onChange({ ...output, prioritySplits })} options={options} errors={errors} path={`${path}.splits`} testId={`${ruleLabel.replace(' ', '-').toLowerCase()}-split`} />
      )}
      <FieldErrorList messages={[...errorsAt(errors, path), ...errorsAt(errors, `${path}.type`)]} />
    </div>
  );
}
