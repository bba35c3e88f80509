// The condition tree of a rule (Priority Logic rules and risk rules): AND/OR groups nested to any
// depth, reordered by drag and drop, and conditions on the engine's dimensions with the operators and
// value inputs each dimension's kind allows.
import { useEffect, useId, useRef } from 'react';
import { SortableList } from '../components/SortableList';
import { FieldErrorList } from './FieldErrors';
import {
  AMOUNT_CURRENCIES,
  DIMENSIONS,
  OPERATOR_LABELS,
  OPERATORS_BY_KIND,
  childPath,
  dimensionInfo,
  errorsAt,
  newGroup,
  newLeaf,
  valueShape,
  withDimension,
  withOperator,
  type ConditionDraft,
  type FieldErrors,
  type GroupDraft,
  type LeafDraft,
} from './model';
import type { Operator } from './types';

const DIMENSION_GROUPS = [...new Set(DIMENSIONS.map((d) => d.group))];
const testIdOf = (path: string) => `cond-${path.replace(/^definition\./, '')}`;

function conditionLabel(c: ConditionDraft, index: number): string {
  if (c.type === 'group') return `group ${index + 1} (${c.op === 'all' ? 'all' : 'any'})`;
  const info = dimensionInfo(c.dimension);
  return `condition ${index + 1}${info ? ` (${info.label})` : ''}`;
}

export function ConditionGroupEditor({
  group,
  path,
  depth,
  onChange,
  onRemove,
  errors,
}: {
  group: GroupDraft;
  path: string;
  depth: number;
  onChange: (g: GroupDraft) => void;
  onRemove?: () => void;
  errors: FieldErrors;
}) {
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

function ConditionLeafEditor({ leaf, path, onChange, onRemove, errors }: { leaf: LeafDraft; path: string; onChange: (l: LeafDraft) => void; onRemove: () => void; errors: FieldErrors }) {
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
    kind === 'bin'
      ? leaf.operator === 'starts_with'
        ? 'e.g. 4111'
        : 'e.g. 411111'
      : isTime
        ? 'HH:MM'
        : kind === 'amount'
          ? leaf.currency
            ? 'e.g. 500.00'
            : 'minor units, e.g. 50000'
          : kind === 'number'
            ? 'e.g. 6'
            : 'value';

  const dimRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (focusOnMount === leaf.id) {
      focusOnMount = null;
      dimRef.current?.focus();
    }
  }, [leaf.id]);

  return (
    <div className="cond-leaf" data-testid={testIdOf(path)}>
      <select ref={dimRef} className="dim" aria-label="Dimension" value={leaf.dimension} onChange={(e) => onChange(withDimension(leaf, e.target.value))} aria-invalid={invalid || undefined}>
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
