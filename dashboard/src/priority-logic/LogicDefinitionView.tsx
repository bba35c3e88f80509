// A logic's definition as the view page shows it: its rules (condition → gateways), its volume
// split, its code, and the Default gateways.
import { CodeEditor } from '../components/CodeEditor';
import { gatewayText } from './GatewayListEditor';
import { describeCondition } from './model';
import type { Logic, RuleOutput } from './types';

/** Gateways in the order they are tried, as chips joined by arrows; "(none)" for an empty list. */
export function GatewayChain({ list }: { list: readonly { gateway: string; gatewayReferenceId?: string | null }[] }) {
  if (list.length === 0) return <span className="muted">(none)</span>;
  return (
    <span className="gateway-chain">
      {list.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
        <span key={`${g.gateway}-${i}`} className="row" style={{ gap: 6 }}>
          {i > 0 ? (
            <span className="muted" aria-hidden="true">
              →
            </span>
          ) : null}
          <span className="gateway-chip">{gatewayText(g)}</span>
        </span>
      ))}
    </span>
  );
}

function OutputView({ output }: { output: RuleOutput }) {
  if (output.type === 'PRIORITY') return <GatewayChain list={output.gateways} />;
  if (output.type === 'VOLUME_SPLIT')
    return (
      <span className="gateway-chain">
        {output.splits.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
          <span key={i} className="gateway-chip">
            {gatewayText(s)} {s.weight}%
          </span>
        ))}
      </span>
    );
  return (
    <div className="stack">
      {output.splits.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
        <div key={i} className="row">
          <strong className="small">{s.weight}%:</strong> <GatewayChain list={s.gateways} />
        </div>
      ))}
    </div>
  );
}

export function DefinitionView({ logic }: { logic: Logic }) {
  const d = logic.definition;
  return (
    <section className="card" aria-labelledby="def-title">
      <h2 id="def-title">Configuration</h2>
      {d.kind === 'RULES' ? (
        <div className="stack" style={{ marginBottom: 14 }}>
          <h3>Rules</h3>
          {(d.rules ?? []).length === 0 ? <p className="muted">No rules: every payment uses the Default gateways.</p> : null}
          {(d.rules ?? []).map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
            <div key={i} className="trace-rule" data-testid={`view-rule-${i}`}>
              <div>
                <strong>
                  Rule {i + 1}: {r.name}
                </strong>
              </div>
              <div className="small">
                <span className="muted">If</span> {describeCondition(r.condition)}
              </div>
              <div className="small row">
                <span className="muted">Then</span> <OutputView output={r.output} />
              </div>
            </div>
          ))}
        </div>
      ) : null}
      {d.kind === 'VOLUME' ? (
        <div style={{ marginBottom: 14 }}>
          <h3>Volume split</h3>
          <table className="table" style={{ maxWidth: 420 }}>
            <thead>
              <tr>
                <th scope="col">Gateway</th>
                <th scope="col" className="num">
                  Weight
                </th>
              </tr>
            </thead>
            <tbody>
              {(d.splits ?? []).map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
                <tr key={i}>
                  <td>{gatewayText(s)}</td>
                  <td className="num">{s.weight}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {d.kind === 'CODE' ? (
        <div style={{ marginBottom: 14 }}>
          <h3>Code</h3>
          <div className="code-editor">
            <CodeEditor value={d.code ?? ''} readOnly ariaLabel="Code (read-only)" />
          </div>
        </div>
      ) : null}
      <h3>{d.kind === 'DEFAULT' ? 'Gateway priority (Default gateways)' : 'Default Gateways'}</h3>
      <GatewayChain list={d.defaultGateways ?? []} />
    </section>
  );
}
