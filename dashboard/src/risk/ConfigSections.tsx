// The fieldsets of the risk configuration form. Each edits its part of the draft through `set` and
// shows the server's reasons next to the fields they name.
import { Fragment, type ReactNode } from 'react';
import { formatMinor } from '../analytics/format';
import { FieldErrorList } from '../priority-logic/FieldErrors';
import { CARD_TESTING_SOURCES, VELOCITY_DIMENSIONS, type RiskConfig } from './api';

const POST_AUTH = { enabled: true, timeout_ms: 1000, fail_open: true };
const DEFAULT_CARD_TESTING = { small_amount_max: 500, threshold: 5, window_seconds: 600, block_seconds: 3600, sources: ['client_ip', 'customer_id', 'bin'] };

/** A number input's text as a number when it is one, else the text (the server names the field). */
function num(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
const shown = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '' : String(n));

interface ConfigSectionProps {
  draft: RiskConfig;
  set: (patch: Partial<RiskConfig>) => void;
  /** The server's reasons for a field path. */
  reasons: (field: string) => string[];
  disabled: boolean;
}

/** A labelled field with its hint and the server's reasons for `name`. */
const fieldOf = (reasons: (field: string) => string[]) => (name: string, label: string, control: ReactNode, hint?: string) => (
  <div className="field" data-field={name}>
    {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is the `control` argument, inside the label */}
    <label>
      {label}
      {control}
    </label>
    {hint ? <span className="hint">{hint}</span> : null}
    <FieldErrorList messages={reasons(name)} testId={`error-${name}`} />
  </div>
);

/** The general settings: on/off, mode, provider, fail open/closed, timeouts, and the post-authorisation call of an external provider. */
export function GeneralFields({ draft, set, reasons, disabled }: ConfigSectionProps) {
  const field = fieldOf(reasons);
  return (
    <fieldset className="card" disabled={disabled}>
      <h2>General</h2>
      <div className="grid-form">
        <div className="field inline">
          <input id="risk-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          <label htmlFor="risk-enabled">Risk checks on</label>
        </div>
        {field(
          'mode',
          'Mode',
          <select value={draft.mode} onChange={(e) => set({ mode: e.target.value === 'parallel' ? 'parallel' : 'sequential' })}>
            <option value="sequential">Sequential (checks gate the gateway)</option>
            <option value="parallel">Parallel (checks beside the gateway)</option>
          </select>,
        )}
        {field('provider', 'Provider', <input type="text" value={draft.provider} onChange={(e) => set({ provider: e.target.value })} />, 'builtin, or a registered provider id such as reference')}
        {field(
          'fail_open',
          'When a check fails',
          <select value={draft.fail_open ? 'open' : 'closed'} onChange={(e) => set({ fail_open: e.target.value === 'open' })}>
            <option value="open">Fail open (let the payment through)</option>
            <option value="closed">Fail closed (decline)</option>
          </select>,
        )}
        {field('provider_timeout_ms', 'Provider timeout (ms)', <input type="number" value={shown(draft.provider_timeout_ms)} onChange={(e) => set({ provider_timeout_ms: num(e.target.value) })} />)}
        {field(
          'review_expiry_hours',
          'Void held payments after (hours)',
          <input type="number" value={shown(draft.review_expiry_hours)} onChange={(e) => set({ review_expiry_hours: num(e.target.value) })} />,
          '1 to 720; undecided reviews are voided',
        )}
      </div>
      {draft.provider !== 'builtin' ? (
        <div className="grid-form" data-testid="post-auth">
          <div className="field inline">
            <input
              id="risk-post-auth"
              type="checkbox"
              checked={draft.post_auth?.enabled ?? true}
              onChange={(e) => set({ post_auth: { ...POST_AUTH, ...draft.post_auth, enabled: e.target.checked } })}
            />
            <label htmlFor="risk-post-auth">Ask the provider again after the gateway answers</label>
          </div>
          {field(
            'post_auth.timeout_ms',
            'Post-authorisation timeout (ms)',
            <input
              type="number"
              value={shown(draft.post_auth?.timeout_ms ?? POST_AUTH.timeout_ms)}
              onChange={(e) => set({ post_auth: { ...POST_AUTH, ...draft.post_auth, timeout_ms: num(e.target.value) } })}
            />,
          )}
          {field(
            'post_auth.fail_open',
            'When that call fails',
            <select
              value={(draft.post_auth?.fail_open ?? draft.fail_open) ? 'open' : 'closed'}
              onChange={(e) => set({ post_auth: { ...POST_AUTH, ...draft.post_auth, fail_open: e.target.value === 'open' } })}
            >
              <option value="open">Keep the payment</option>
              <option value="closed">Void or refund it</option>
            </select>,
          )}
        </div>
      ) : null}
    </fieldset>
  );
}

/** Velocity limits: a row per limit (dimension, metric, window, limit, action). */
export function VelocityLimits({ draft, set, reasons, disabled }: ConfigSectionProps) {
  return (
    <fieldset className="card" disabled={disabled}>
      <h2>Velocity limits</h2>
      {draft.velocity.length === 0 ? (
        <p className="muted">No velocity limit.</p>
      ) : (
        <table className="table" aria-label="Velocity limits">
          <thead>
            <tr>
              <th>Id</th>
              <th>Dimension</th>
              <th>Metric</th>
              <th>Window (s)</th>
              <th>Limit</th>
              <th>Action</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.velocity.map((v, i) => {
              const setV = (patch: Partial<typeof v>) => set({ velocity: draft.velocity.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
              const cell = (name: string, control: ReactNode) => (
                <td>
                  {control}
                  <FieldErrorList messages={reasons(`velocity[${i}].${name}`)} testId={`error-velocity[${i}].${name}`} />
                </td>
              );
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row of controlled inputs with no state of its own, re-rendered from the draft; the rows have no id
                <tr key={i} data-testid="velocity-row">
                  {cell('id', <input aria-label={`Velocity ${i + 1} id`} value={v.id} onChange={(e) => setV({ id: e.target.value })} />)}
                  {cell(
                    'dimension',
                    <select aria-label={`Velocity ${i + 1} dimension`} value={v.dimension} onChange={(e) => setV({ dimension: e.target.value })}>
                      {VELOCITY_DIMENSIONS.map((d) => (
                        <option key={d}>{d}</option>
                      ))}
                    </select>,
                  )}
                  {cell(
                    'metric',
                    <select aria-label={`Velocity ${i + 1} metric`} value={v.metric} onChange={(e) => setV({ metric: e.target.value === 'amount' ? 'amount' : 'count' })}>
                      <option>count</option>
                      <option>amount</option>
                    </select>,
                  )}
                  {cell(
                    'window_seconds',
                    <input aria-label={`Velocity ${i + 1} window`} type="number" value={shown(v.window_seconds)} onChange={(e) => setV({ window_seconds: num(e.target.value) })} />,
                  )}
                  {cell('limit', <input aria-label={`Velocity ${i + 1} limit`} type="number" value={shown(v.limit)} onChange={(e) => setV({ limit: num(e.target.value) })} />)}
                  {cell('action', <ActionSelect label={`Velocity ${i + 1} action`} value={v.action} onChange={(action) => setV({ action })} />)}
                  <RemoveCell onRemove={() => set({ velocity: draft.velocity.filter((_, j) => j !== i) })} />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <FieldErrorList messages={reasons('velocity')} />
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          set({ velocity: [...draft.velocity, { id: `limit_${draft.velocity.length + 1}`, dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 5, action: 'block' }] })
        }
      >
        + Add velocity limit
      </button>
    </fieldset>
  );
}

/** The card-testing guard: block a source after repeated small declines. */
export function CardTestingGuard({ draft, set, reasons, disabled }: ConfigSectionProps) {
  const field = fieldOf(reasons);
  const ct = draft.card_testing;
  return (
    <fieldset className="card" disabled={disabled}>
      <h2>Card-testing guard</h2>
      <div className="field inline">
        <input id="risk-card-testing" type="checkbox" checked={ct !== null} onChange={(e) => set({ card_testing: e.target.checked ? { ...DEFAULT_CARD_TESTING } : null })} />
        <label htmlFor="risk-card-testing">Block a source after repeated small declines</label>
      </div>
      {ct ? (
        <div className="grid-form">
          {field(
            'card_testing.small_amount_max',
            'Small amount at most (minor units)',
            <input type="number" value={shown(ct.small_amount_max)} onChange={(e) => set({ card_testing: { ...ct, small_amount_max: num(e.target.value) } })} />,
          )}
          {field('card_testing.threshold', 'Declines to block', <input type="number" value={shown(ct.threshold)} onChange={(e) => set({ card_testing: { ...ct, threshold: num(e.target.value) } })} />)}
          {field(
            'card_testing.window_seconds',
            'Window (s)',
            <input type="number" value={shown(ct.window_seconds)} onChange={(e) => set({ card_testing: { ...ct, window_seconds: num(e.target.value) } })} />,
          )}
          {field(
            'card_testing.block_seconds',
            'Block for (s)',
            <input type="number" value={shown(ct.block_seconds)} onChange={(e) => set({ card_testing: { ...ct, block_seconds: num(e.target.value) } })} />,
          )}
          <div className="field" data-field="card_testing.sources">
            <span className="label">Sources</span>
            {CARD_TESTING_SOURCES.map((s) => (
              <label key={s} className="row">
                <input
                  type="checkbox"
                  checked={ct.sources.includes(s)}
                  onChange={(e) => set({ card_testing: { ...ct, sources: e.target.checked ? [...ct.sources, s] : ct.sources.filter((x) => x !== s) } })}
                />
                {s}
              </label>
            ))}
            <FieldErrorList messages={reasons('card_testing.sources')} />
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}

/** Amount limits per payment method type and currency. */
export function AmountLimits({ draft, set, reasons, disabled }: ConfigSectionProps) {
  return (
    <fieldset className="card" disabled={disabled}>
      <h2>Amount limits</h2>
      {draft.amount_limits.length === 0 ? (
        <p className="muted">No amount limit.</p>
      ) : (
        <table className="table" aria-label="Amount limits">
          <thead>
            <tr>
              <th>Payment method type</th>
              <th>Currency</th>
              <th>Min (minor units)</th>
              <th>Max (minor units)</th>
              <th>Action</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.amount_limits.map((a, i) => {
              const setA = (patch: Partial<typeof a>) => set({ amount_limits: draft.amount_limits.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
              const cell = (name: string, control: ReactNode, note?: string) => (
                <td>
                  {control}
                  {note ? <span className="muted small">{note}</span> : null}
                  <FieldErrorList messages={reasons(`amount_limits[${i}].${name}`)} testId={`error-amount_limits[${i}].${name}`} />
                </td>
              );
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row of controlled inputs with no state of its own, re-rendered from the draft; the rows have no id
                <tr key={i} data-testid="amount-limit-row">
                  {cell(
                    'payment_method_type',
                    <input
                      aria-label={`Amount limit ${i + 1} payment method type`}
                      placeholder="any"
                      value={a.payment_method_type ?? ''}
                      onChange={(e) => setA({ payment_method_type: e.target.value.trim() === '' ? null : e.target.value })}
                    />,
                  )}
                  {cell('currency', <input aria-label={`Amount limit ${i + 1} currency`} value={a.currency} onChange={(e) => setA({ currency: e.target.value.toUpperCase() })} />)}
                  {cell(
                    'min',
                    <input aria-label={`Amount limit ${i + 1} min`} type="number" value={shown(a.min)} onChange={(e) => setA({ min: e.target.value === '' ? null : num(e.target.value) })} />,
                    a.min !== null && Number.isSafeInteger(a.min) ? formatMinor(a.min, a.currency) : undefined,
                  )}
                  {cell(
                    'max',
                    <input aria-label={`Amount limit ${i + 1} max`} type="number" value={shown(a.max)} onChange={(e) => setA({ max: e.target.value === '' ? null : num(e.target.value) })} />,
                    a.max !== null && Number.isSafeInteger(a.max) ? formatMinor(a.max, a.currency) : undefined,
                  )}
                  {cell('action', <ActionSelect label={`Amount limit ${i + 1} action`} value={a.action} onChange={(action) => setA({ action })} />)}
                  <RemoveCell onRemove={() => set({ amount_limits: draft.amount_limits.filter((_, j) => j !== i) })} />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => set({ amount_limits: [...draft.amount_limits, { payment_method_type: null, currency: 'INR', min: null, max: null, action: 'block' }] })}
      >
        + Add amount limit
      </button>
    </fieldset>
  );
}

/** Card issuer country against the billing and the IP country. */
export function CountryMismatches({ draft, set, reasons, disabled }: ConfigSectionProps) {
  const field = fieldOf(reasons);
  return (
    <fieldset className="card" disabled={disabled}>
      <h2>Country mismatches</h2>
      <div className="grid-form">
        {(['issuer_vs_billing', 'issuer_vs_ip'] as const).map((k) => (
          <Fragment key={k}>
            {field(
              `mismatch.${k}`,
              k === 'issuer_vs_billing' ? 'Card issuer country vs billing country' : 'Card issuer country vs IP country',
              <select
                value={draft.mismatch?.[k] ?? 'allow'}
                onChange={(e) => {
                  const value = e.target.value === 'block' ? 'block' : e.target.value === 'review' ? 'review' : 'allow';
                  set({ mismatch: { issuer_vs_billing: 'allow', issuer_vs_ip: 'allow', ...draft.mismatch, [k]: value } });
                }}
              >
                <option value="allow">Off</option>
                <option value="review">Review</option>
                <option value="block">Block</option>
              </select>,
            )}
          </Fragment>
        ))}
      </div>
    </fieldset>
  );
}

/** What a risk limit does when it is passed. */
function ActionSelect({ label, value, onChange }: { label: string; value: 'block' | 'review'; onChange: (action: 'block' | 'review') => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value === 'review' ? 'review' : 'block')}>
      <option>block</option>
      <option>review</option>
    </select>
  );
}

function RemoveCell({ onRemove }: { onRemove: () => void }) {
  return (
    <td>
      <button type="button" className="btn btn-small btn-danger" onClick={onRemove}>
        Remove
      </button>
    </td>
  );
}
