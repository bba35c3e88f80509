// Gateways with a weight each (slider + number); the weights must sum to 100. Moving a slider
// rebalances the others so the total stays 100 (split-balance.ts); the number field sets one
// weight exactly. A new gateway gets an even share. Also the volume split of priority lists (each
// part is an ordered gateway list with a weight).
import type { ReactNode } from 'react';
import { FieldErrorList } from './FieldErrors';
import { GatewayAdder, GatewayListEditor, gatewayText } from './GatewayListEditor';
import { errorsAt, splitTotal, uid, type FieldErrors, type PrioritySplitItem, type SplitItem } from './model';
import { optionKey, type GatewayOption } from './gateways';
import { rebalance, withNewShare } from './split-balance';

/** Items with the weights given (same order). */
function withWeights<T extends { weight: number }>(items: T[], weights: number[]): T[] {
  return items.map((s, i) => ({ ...s, weight: weights[i]! }));
}

function clampWeight(text: string): number {
  const n = Math.round(Number(text));
  if (!Number.isFinite(n)) return 0;
  return Math.min(100, Math.max(0, n));
}

function evenly<T extends { weight: number }>(items: T[]): T[] {
  if (items.length === 0) return items;
  const base = Math.floor(100 / items.length);
  let rest = 100 - base * items.length;
  return items.map((s) => ({ ...s, weight: base + (rest-- > 0 ? 1 : 0) }));
}

/** Under a split: "Split evenly" (beside the adder), the total, and the errors at `path`. */
function SplitFooter<T extends { weight: number }>(p: { adder: ReactNode; items: T[]; onChange: (items: T[]) => void; errors: FieldErrors; path: string; testId?: string | undefined }) {
  return (
    <>
      <div className="row">
        {p.adder}
        {p.items.length > 1 ? (
          <button type="button" className="btn btn-small" onClick={() => p.onChange(evenly(p.items))}>
            Split evenly
          </button>
        ) : null}
      </div>
      <SplitTotal weights={p.items.map((s) => s.weight)} testId={p.testId ? `${p.testId}-total` : undefined} />
      <FieldErrorList messages={errorsAt(p.errors, p.path)} testId={p.testId ? `${p.testId}-errors` : undefined} />
    </>
  );
}

function SplitTotal({ weights, testId }: { weights: number[]; testId?: string }) {
  const total = splitTotal(weights);
  const ok = total === 100;
  return (
    <div className="row" aria-live="polite">
      <span className={`split-total ${ok ? 'ok' : 'bad'}`} data-testid={testId}>
        Total: {total}%
      </span>
      {ok ? (
        <span className="muted small">Weights add up to 100%.</span>
      ) : weights.length > 0 ? (
        <span className="field-error" style={{ margin: 0 }}>
          The weights must sum to 100% (now {total}%).
        </span>
      ) : null}
    </div>
  );
}

function WeightInputs({ name, weight, onChange, onSlide }: { name: string; weight: number; onChange: (w: number) => void; onSlide: (w: number) => void }) {
  return (
    <>
      <input type="range" min={0} max={100} step={1} value={weight} aria-label={`Weight slider for ${name}`} onChange={(e) => onSlide(clampWeight(e.target.value))} />
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        value={Number.isFinite(weight) ? weight : ''}
        aria-label={`Weight of ${name} (%)`}
        onChange={(e) => onChange(e.target.value === '' ? 0 : clampWeight(e.target.value))}
      />
    </>
  );
}

interface VolumeSplitEditorProps {
  label: string;
  items: SplitItem[];
  onChange: (items: SplitItem[]) => void;
  options: GatewayOption[];
  errors: FieldErrors;
  path: string;
  testId?: string;
}

export function VolumeSplitEditor({ label, items, onChange, options, errors, path, testId }: VolumeSplitEditorProps) {
  const set = (id: string, weight: number) => onChange(items.map((s) => (s.id === id ? { ...s, weight } : s)));
  const slide = (i: number, weight: number) =>
    onChange(
      withWeights(
        items,
        rebalance(
          items.map((s) => s.weight),
          i,
          weight,
        ),
      ),
    );
  return (
    <div className="stack" data-testid={testId}>
      {items.length === 0 ? (
        <p className="empty" style={{ padding: 12 }}>
          No gateway yet: add the gateways to split the traffic between.
        </p>
      ) : (
        <ul className="sortable" aria-label={label}>
          {items.map((s, i) => (
            <li key={s.id} className="sortable-item">
              <div className="grow">
                <div className="split-row">
                  <span className="gateway-chip">{gatewayText(s)}</span>
                  <WeightInputs name={gatewayText(s)} weight={s.weight} onChange={(w) => set(s.id, w)} onSlide={(w) => slide(i, w)} />
                  <button type="button" className="btn btn-small btn-icon" aria-label={`Remove ${gatewayText(s)} from ${label}`} onClick={() => onChange(items.filter((x) => x.id !== s.id))}>
                    ×
                  </button>
                </div>
                <FieldErrorList messages={errorsAt(errors, `${path}[${i}]`, true)} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <SplitFooter
        adder={
          <GatewayAdder
            label={label}
            options={options}
            taken={items.map((g) => optionKey(g.gateway, g.gatewayReferenceId))}
            onAdd={(g) => onChange(withWeights([...items, { ...g, weight: 0 }], withNewShare(items.map((s) => s.weight))))}
          />
        }
        items={items}
        onChange={onChange}
        errors={errors}
        path={path}
        testId={testId}
      />
    </div>
  );
}

interface PrioritySplitEditorProps {
  label: string;
  items: PrioritySplitItem[];
  onChange: (items: PrioritySplitItem[]) => void;
  options: GatewayOption[];
  errors: FieldErrors;
  path: string;
  testId?: string;
}

export function PrioritySplitEditor({ label, items, onChange, options, errors, path, testId }: PrioritySplitEditorProps) {
  const update = (id: string, patch: Partial<PrioritySplitItem>) => onChange(items.map((s) => (s.id === id ? { ...s, ...patch } : s)));
  return (
    <div className="stack" data-testid={testId}>
      {items.map((s, j) => {
        const name = `${label} part ${j + 1}`;
        return (
          <div key={s.id} className="card nested" style={{ marginBottom: 0 }} role="group" aria-label={name}>
            <div className="row" style={{ marginBottom: 8 }}>
              <strong>Part {j + 1}</strong>
              <WeightInputs
                name={name}
                weight={s.weight}
                onChange={(w) => update(s.id, { weight: w })}
                onSlide={(w) =>
                  onChange(
                    withWeights(
                      items,
                      rebalance(
                        items.map((x) => x.weight),
                        j,
                        w,
                      ),
                    ),
                  )
                }
              />
              <span className="spacer" />
              <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${name}`} onClick={() => onChange(items.filter((x) => x.id !== s.id))}>
                Remove part
              </button>
            </div>
            <GatewayListEditor label={`${name} gateways`} items={s.gateways} onChange={(gateways) => update(s.id, { gateways })} options={options} errors={errors} path={`${path}[${j}].gateways`} />
            <FieldErrorList messages={errorsAt(errors, `${path}[${j}].weight`)} />
          </div>
        );
      })}
      <SplitFooter
        adder={
          <button type="button" className="btn btn-small" onClick={() => onChange(withWeights([...items, { id: uid('ps'), weight: 0, gateways: [] }], withNewShare(items.map((s) => s.weight))))}>
            Add split part
          </button>
        }
        items={items}
        onChange={onChange}
        errors={errors}
        path={path}
        testId={testId}
      />
    </div>
  );
}
