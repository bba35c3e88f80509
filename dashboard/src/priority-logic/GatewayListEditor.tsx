// An ordered list of gateways (drag to reorder), with a picker of the merchant's gateways.
import { useRef, useState } from 'react';
import { SortableList } from '../components/SortableList';
import { FieldErrorList } from './FieldErrors';
import { errorsAt, gatewayItem, type FieldErrors, type GatewayItem } from './model';
import { optionKey, type GatewayOption } from './gateways';

interface GatewayListEditorProps {
  /** Accessible name of the list, e.g. "Default gateways". */
  label: string;
  items: GatewayItem[];
  onChange: (items: GatewayItem[]) => void;
  options: GatewayOption[];
  errors: FieldErrors;
  /** Server path of the list, e.g. `defaultGateways` or `definition.rules[0].output.gateways`. */
  path: string;
  testId?: string;
  readOnly?: boolean;
}

export const gatewayText = (g: { gateway: string; gatewayReferenceId?: string | null }) => (g.gatewayReferenceId ? `${g.gateway} · ${g.gatewayReferenceId}` : g.gateway);

export function GatewayAdder({ label, options, taken, onAdd }: { label: string; options: GatewayOption[]; taken: readonly string[]; onAdd: (g: GatewayItem) => void }) {
  const [manual, setManual] = useState('');
  const [chosen, setChosen] = useState('');
  const keyboard = useRef(false);
  if (options.length === 0) {
    return (
      <div className="row">
        <input type="text" aria-label={`Gateway name for ${label}`} placeholder="Gateway name, e.g. SIM_ALPHA" value={manual} onChange={(e) => setManual(e.target.value.toUpperCase())} />
        <button
          type="button"
          className="btn btn-small"
          disabled={!manual.trim()}
          onClick={() => {
            onAdd(gatewayItem(manual.trim()));
            setManual('');
          }}
        >
          Add gateway
        </button>
      </div>
    );
  }
  const add = (key: string) => {
    const o = options.find((x) => x.key === key);
    setChosen('');
    if (o) onAdd(gatewayItem(o.gateway, o.gatewayReferenceId));
  };
  // A closed select changes on every arrow key: from the keyboard the option is only chosen, and
  // Enter adds it; a click (or a pick from the open list) adds at once.
  return (
    <select
      aria-label={`Add gateway to ${label}`}
      aria-description="Arrow keys choose a gateway, Enter adds it"
      value={chosen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          if (chosen) {
            e.preventDefault();
            add(chosen);
          }
        } else if (e.key !== 'Tab') keyboard.current = true;
      }}
      onPointerDown={() => {
        keyboard.current = false;
      }}
      onBlur={() => {
        keyboard.current = false;
        setChosen('');
      }}
      onChange={(e) => {
        if (keyboard.current) setChosen(e.target.value);
        else add(e.target.value);
      }}
      style={{ maxWidth: 280 }}
    >
      <option value="">+ Add a gateway…</option>
      {options.map((o) => (
        <option key={o.key} value={o.key} disabled={taken.includes(o.key)}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function GatewayListEditor({ label, items, onChange, options, errors, path, testId, readOnly }: GatewayListEditorProps) {
  const listErrors = errorsAt(errors, path);
  return (
    <div className="stack" data-testid={testId}>
      {items.length === 0 ? (
        <p className="empty" style={{ padding: 12 }}>
          No gateway yet.
        </p>
      ) : (
        <SortableList
          label={label}
          items={items}
          getId={(g) => g.id}
          getLabel={(g) => gatewayText(g)}
          onReorder={(next) => onChange(next)}
          renderItem={(g, i) => (
            <div>
              <div className="row">
                <span className="rank">{i + 1}.</span>
                <span className="gateway-chip">{gatewayText(g)}</span>
                <span className="spacer" />
                {readOnly ? null : (
                  <button type="button" className="btn btn-small btn-icon" aria-label={`Remove ${gatewayText(g)} from ${label}`} onClick={() => onChange(items.filter((x) => x.id !== g.id))}>
                    ×
                  </button>
                )}
              </div>
              <FieldErrorList messages={errorsAt(errors, `${path}[${i}]`, true)} />
            </div>
          )}
        />
      )}
      {readOnly ? null : <GatewayAdder label={label} options={options} taken={items.map((g) => optionKey(g.gateway, g.gatewayReferenceId))} onAdd={(g) => onChange([...items, g])} />}
      <FieldErrorList messages={listErrors} testId={testId ? `${testId}-errors` : undefined} />
    </div>
  );
}
