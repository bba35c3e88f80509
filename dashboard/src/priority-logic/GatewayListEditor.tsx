// An ordered list of gateways (drag to reorder), with a picker of the merchant's gateways.
import { useState } from 'react';
import { SortableList } from '../components/SortableList';
import { FieldErrorList } from './FieldErrors';
import { errorsAt, gatewayItem, type FieldErrors, type GatewayItem } from './model';
import { optionKey, type GatewayOption } from './gateways';

export interface GatewayListEditorProps {
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
  return (
    <select
      aria-label={`Add gateway to ${label}`}
      value=""
      onChange={(e) => {
        const o = options.find((x) => x.key === e.target.value);
        if (o) onAdd(gatewayItem(o.gateway, o.gatewayReferenceId));
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
