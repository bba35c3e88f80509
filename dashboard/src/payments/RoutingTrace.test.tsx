// The routing trace counts rules from 1 for people, while the recorded decision keeps the API's
// 0-based `matched_rule.index` (shown untouched in the raw JSON).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RoutingTrace, ruleLabel } from './RoutingTrace.tsx';

const decision = (index: number, name: string) => ({
  logic: { id: 'pl_1', name: 'cards-by-brand', version: 3, kind: 'RULES', role: 'PRIMARY' },
  primary: { name: 'cards-by-brand', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
  evaluation_status: 'RULE_MATCHED',
  matched_rule: { index, name },
  final_gateways: [{ gateway: 'SIM_ALPHA', gateway_reference_id: null }],
});

afterEach(cleanup);

describe('RoutingTrace rule numbering', () => {
  it('names the first rule "rule 1" and the second "rule 2"', () => {
    render(<RoutingTrace decision={decision(0, 'visa first')} attemptGateway="SIM_ALPHA" attemptNumber={1} />);
    const first = screen.getByTestId('trace-evaluation').textContent ?? '';
    expect(first).toContain('rule 1 “visa first”');
    expect(first).not.toContain('#');
    cleanup();
    render(<RoutingTrace decision={decision(1, 'mastercard')} attemptGateway="SIM_ALPHA" attemptNumber={1} />);
    const second = screen.getByTestId('trace-evaluation').textContent ?? '';
    expect(second).toContain('rule 2 “mastercard”');
    expect(second).not.toContain('rule 1');
    // The record itself keeps the 0-based index of the API.
    expect(JSON.parse(screen.getByTestId('routing-trace-json').textContent!).matched_rule).toEqual({ index: 1, name: 'mastercard' });
  });

  it('never shows a made-up number for a malformed index', () => {
    expect(ruleLabel(0)).toBe('rule 1');
    expect(ruleLabel(4)).toBe('rule 5');
    expect(ruleLabel(undefined)).toBe('rule ?');
    expect(ruleLabel(-1)).toBe('rule ?');
  });
});
