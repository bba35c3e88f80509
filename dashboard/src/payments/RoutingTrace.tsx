// One attempt's routing decision record (as stored on the transaction, snake_case on the wire)
// rendered readably: which logic decided and in which role, how it evaluated, the list it
// produced, enforcement, eligibility drops, the preferred gateway, success-rate ranking with its
// labels, and the gateway finally used; plus the raw JSON.
import type { ReactNode } from 'react';
import type { LogicRole } from '../../../src/routing/decision-record.ts';
import type { LogicKind } from '../../../src/routing/types.ts';
import type { RankLabel } from '../../../src/routing/scoring/types.ts';
import './payments.css';

type Json = Record<string, unknown>;

// Every value of the engine's LogicRole, no other (the compiler checks it against src/routing).
const ROLE_TEXT: Record<string, string> = {
  PRIMARY: 'Primary (active) logic',
  STAGGERED: 'Staggered logic (rollout share)',
  FALLBACK: 'Fallback logic (the primary logic failed)',
  DEFAULT_GATEWAYS: 'Default gateways (the logics failed)',
} satisfies Record<LogicRole, string>;

// Every value of the engine's LogicKind, no other (the compiler checks it against src/routing).
const KIND_TEXT: Record<string, string> = { RULES: 'Rules', VOLUME: 'Volume split', CODE: 'Code', DEFAULT: 'Default order' } satisfies Record<LogicKind, string>;

// Every value of the engine's RankLabel, no other (the compiler checks it against src/routing).
const LABEL_CLASS: Record<string, string> = { EXPLOIT: 'badge-success', EXPLORE: 'badge-fluctuate', ELIMINATED: 'badge-down', DEFAULT: '' } satisfies Record<RankLabel, string>;

function obj(v: unknown): Json | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A gateway entry: "SIM_ALPHA", or { gateway, gateway_reference_id?, account_id? }; the account only when asked (several accounts of a gateway). */
function gatewayText(item: unknown, withAccount = false): string {
  if (typeof item === 'string') return item;
  const o = obj(item);
  if (!o) return String(item);
  const ref = str(o.gateway_reference_id);
  const account = str(o.account_id);
  return `${str(o.gateway) ?? '?'}${ref ? ` (ref ${ref})` : ''}${withAccount && account && !ref ? ` (account ${account})` : ''}`;
}

function GatewayList({ items, testId }: { items: unknown[]; testId?: string }) {
  if (items.length === 0) return <span className="muted">none</span>;
  return (
    <ol className="trace-gateways" data-testid={testId}>
      {items.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
        <li key={i}>{gatewayText(g)}</li>
      ))}
    </ol>
  );
}

/** `matched_rule.index` is the rule's 0-based position in the logic's `rules` (the API's meaning); people count from 1. */
export function ruleLabel(index: unknown): string {
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? `rule ${index + 1}` : 'rule ?';
}

function Row({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="trace-row">
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function LogicStatus({ status }: { status: Json }) {
  const ok = str(status.status) === 'SUCCESS';
  return (
    <span>
      <span className={`badge ${ok ? 'badge-success' : 'badge-failure'}`}>{str(status.status) ?? '?'}</span> {str(status.name) ? <strong>{str(status.name)}</strong> : null}
      {str(status.failure_reason) && str(status.failure_reason) !== 'NO_ERROR' ? <> — {str(status.failure_reason)}</> : null}
      {str(status.message) ? <span className="muted">: {str(status.message)}</span> : null}
    </span>
  );
}

export function RoutingTrace({ decision, attemptGateway, attemptNumber }: { decision: Json | null; attemptGateway: string | null; attemptNumber: number }) {
  const label = `Routing decision of attempt ${attemptNumber}`;
  if (!decision) {
    return (
      <section className="routing-trace" data-testid="routing-trace" aria-label={label}>
        <p className="empty">No routing decision was recorded for this attempt.</p>
      </section>
    );
  }
  const logic = obj(decision.logic) ?? {};
  const role = str(logic.role);
  const kind = str(logic.kind);
  const primary = obj(decision.primary);
  const fallback = obj(decision.fallback);
  const matched = obj(decision.matched_rule);
  const preferred = decision.preferred_gateway;
  const preferredObj = obj(preferred);
  const drops = list(decision.eligibility_drops);
  const ranking = obj(decision.ranking);
  const rankedGateways = list(ranking?.gateways).map((g) => obj(g) ?? {});
  const finalGateways = list(decision.final_gateways);
  const decided = str(decision.decided_gateway) ?? str(rankedGateways[0]?.gateway) ?? (finalGateways[0] !== undefined ? gatewayText(finalGateways[0]) : null);
  const enforced = decision.enforced;

  return (
    <section className="routing-trace" data-testid="routing-trace" aria-label={label}>
      <dl className="trace">
        <Row term="Decided by" testId="trace-role">
          {str(logic.name) === 'DEFAULT_ORDER' ? 'Default gateway order (no active logic)' : role ? (ROLE_TEXT[role] ?? role) : '–'}
          {role === 'STAGGERED' && typeof decision.stagger_bucket === 'number' ? <span className="muted"> · bucket {decision.stagger_bucket} of 10000</span> : null}
        </Row>
        <Row term="Logic" testId="trace-logic">
          <strong>{str(logic.name) ?? '–'}</strong>
          {kind ? <> · {KIND_TEXT[kind] ?? kind}</> : null}
          {logic.version !== undefined && logic.version !== null ? <> · version {String(logic.version)}</> : null}
          {str(logic.id) ? <span className="muted"> · {str(logic.id)}</span> : null}
        </Row>
        {primary ? (
          <Row term="Primary logic" testId="trace-primary">
            <LogicStatus status={primary} />
          </Row>
        ) : null}
        {fallback ? (
          <Row term="Fallback logic" testId="trace-fallback">
            <LogicStatus status={fallback} />
          </Row>
        ) : null}
        <Row term="Evaluation" testId="trace-evaluation">
          {str(decision.evaluation_status) ?? '–'}
          {matched ? (
            <>
              {' '}
              · {ruleLabel(matched.index)} “{str(matched.name) ?? ''}”
            </>
          ) : null}
        </Row>
        {decision.produced_list !== undefined ? (
          <Row term="Produced list" testId="trace-produced">
            <GatewayList items={list(decision.produced_list)} />
          </Row>
        ) : null}
        {typeof enforced === 'boolean' ? (
          <Row term="Enforcement" testId="trace-enforcement">
            {enforced ? 'Enforced: only the produced list may be used' : 'Not enforced: the default gateways follow the produced list'}
          </Row>
        ) : null}
        {preferred ? (
          <Row term="Preferred gateway">
            {preferredObj ? (
              <>
                {str(preferredObj.gateway)} — {preferredObj.applied ? 'applied' : 'not applied'}
                {str(preferredObj.reason) ? ` (${str(preferredObj.reason)})` : ''}
              </>
            ) : (
              String(preferred)
            )}
          </Row>
        ) : null}
        <Row term="Eligibility drops" testId="trace-drops">
          <EligibilityDrops drops={drops} />
        </Row>
        <Row term="Eligible gateways" testId="trace-final-list">
          <GatewayList items={finalGateways} />
        </Row>
        {ranking ? (
          <Row term="Ranking" testId="trace-ranking">
            <span>
              Mode {str(ranking.mode) ?? '–'} · {ranking.applied ? (ranking.explored ? 'applied (exploring)' : 'applied') : 'not applied'}
              {str(ranking.reason) ? ` (${str(ranking.reason)})` : ''}
            </span>
            {rankedGateways.length > 0 ? <RankedGateways gateways={rankedGateways} /> : null}
          </Row>
        ) : null}
        {str(decision.failure_reason) && str(decision.failure_reason) !== 'NO_ERROR' ? (
          <Row term="Decision failure">
            <span className="badge badge-failure">{str(decision.failure_reason)}</span>
          </Row>
        ) : null}
        <Row term="Decided gateway" testId="trace-decided">
          {decided ?? <span className="muted">none</span>}
        </Row>
        <Row term="Gateway of this attempt" testId="trace-final-gateway">
          <strong>{attemptGateway ?? 'none'}</strong>
        </Row>
      </dl>
      <details className="trace-raw">
        <summary>Raw JSON</summary>
        <pre data-testid="routing-trace-json">{JSON.stringify(decision, null, 2)}</pre>
      </details>
    </section>
  );
}

/** The gateways the eligibility checks dropped, why, and from which list. */
function EligibilityDrops({ drops }: { drops: readonly unknown[] }) {
  return drops.length === 0 ? (
    <span className="muted">none</span>
  ) : (
    <table className="table trace-drops">
      <thead>
        <tr>
          <th scope="col">Gateway</th>
          <th scope="col">Reason</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {drops.map((d, i) => {
          const o = obj(d) ?? {};
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
            <tr key={i} data-testid="trace-drop">
              <td>{gatewayText(o)}</td>
              <td>{str(o.reason) ?? '–'}</td>
              <td>{str(o.source) ?? '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The ranked gateways: label, health, estimated success, score and fee. */
function RankedGateways({ gateways: rankedGateways }: { gateways: readonly Json[] }) {
  const rankedNames = rankedGateways.map((g) => str(g.gateway));
  const several = (name: string | null) => rankedNames.filter((n) => n === name).length > 1;
  return (
    <table className="table trace-ranking">
      <thead>
        <tr>
          <th scope="col">Gateway</th>
          <th scope="col">Label</th>
          <th scope="col">Health</th>
          <th scope="col">Est. success</th>
          <th scope="col">Score</th>
          <th scope="col">Fee (minor)</th>
        </tr>
      </thead>
      <tbody>
        {rankedGateways.map((g, i) => {
          const lbl = str(g.label);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
            <tr key={i} data-testid="trace-ranked-gateway">
              <td>{gatewayText(g, several(str(g.gateway)))}</td>
              <td>{lbl ? <span className={`badge ${LABEL_CLASS[lbl] ?? ''}`}>{lbl}</span> : '–'}</td>
              <td>{str(g.health) ?? '–'}</td>
              <td>{typeof g.mean === 'number' ? `${(g.mean * 100).toFixed(1)}%` : '–'}</td>
              <td>{typeof g.score === 'number' ? g.score.toFixed(3) : '–'}</td>
              <td>{typeof g.fee_minor === 'number' ? String(g.fee_minor) : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
