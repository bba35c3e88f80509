import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UNIFIED_ERRORS } from '../unified-errors.ts';
import {
  SIMULATOR_DRAWN_FAILURE_CODES,
  SIMULATOR_STATUS_TABLE,
  cardExpired,
  formatMinorUnits,
  lookupSimulatorStatus,
  luhnValid,
  toAuthorizeOutcome,
  type SimulatorPaymentResponse,
} from './transformers.ts';

const payment = (over: Partial<SimulatorPaymentResponse>): SimulatorPaymentResponse => ({
  object: 'payment',
  gateway_txn_id: 'sim_1',
  merchant_reference: 'm-o-1',
  status: 'CHARGED',
  code: '00',
  message: 'Approved',
  amount: 100,
  currency: 'INR',
  captured_amount: 100,
  refunded_amount: 0,
  payment_method_type: 'CARD',
  payment_method: 'VISA',
  rrn: null,
  auth_id_code: null,
  next_action: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('simulator transformers', () => {
  it('the status table agrees with the unified catalogue', () => {
    for (const [code, entry] of Object.entries(SIMULATOR_STATUS_TABLE)) {
      if (entry.unifiedCode === null) {
        assert.equal(entry.outcome, 'SUCCESS', code);
        continue;
      }
      const unified = UNIFIED_ERRORS[entry.unifiedCode];
      assert.equal(entry.unifiedMessage, unified.message, code);
      assert.equal(entry.category, unified.category, code);
      if (entry.outcome === 'FAILURE') assert.ok(entry.failureClass, `${code} has a failure class`);
    }
  });

  it("carries the brief's raw codes", () => {
    const expected: Record<string, string> = {
      '00': 'Approved',
      '51': 'Insufficient funds',
      '05': 'Do not honour',
      '91': 'Issuer unavailable',
      '96': 'System malfunction',
      GW_DOWN: 'Gateway unavailable',
      AUTH_FAILED: '3DS authentication failed',
      '54': 'Expired card',
      '14': 'Invalid card number',
      N7: 'CVV mismatch',
    };
    for (const [code, message] of Object.entries(expected)) assert.equal(SIMULATOR_STATUS_TABLE[code]?.message, message);
  });

  it('hard declines neither retry nor count against the gateway; technical errors do both', () => {
    assert.deepEqual([lookupSimulatorStatus('51').retryable, lookupSimulatorStatus('51').countsAgainstGateway], [false, false]);
    assert.deepEqual([lookupSimulatorStatus('96').retryable, lookupSimulatorStatus('96').countsAgainstGateway], [true, true]);
    assert.equal(lookupSimulatorStatus('TIMEOUT').retryable, false, 'unknown outcomes are never retried elsewhere');
    assert.equal(lookupSimulatorStatus('???').unifiedCode, 'UNKNOWN_ERROR');
  });

  it('every drawable code is in the table with the matching failure class', () => {
    for (const [kind, codes] of Object.entries(SIMULATOR_DRAWN_FAILURE_CODES)) {
      for (const code of codes) assert.equal(SIMULATOR_STATUS_TABLE[code]?.failureClass, kind, code);
    }
  });

  it('maps wire statuses to outcomes', () => {
    assert.equal(toAuthorizeOutcome(payment({}), 'https://x').kind, 'CHARGED');
    assert.equal(toAuthorizeOutcome(payment({ status: 'AUTHORIZED' }), 'https://x').kind, 'AUTHORIZED');
    const failed = toAuthorizeOutcome(payment({ status: 'FAILED', code: '51', message: 'Insufficient funds' }), 'https://x');
    assert.equal(failed.kind, 'FAILED');
    if (failed.kind === 'FAILED') {
      assert.equal(failed.failure, 'HARD_DECLINE');
      assert.equal(failed.unified.code, 'INSUFFICIENT_FUNDS');
      assert.equal(failed.raw.code, '51');
    }
    const redirect = toAuthorizeOutcome(payment({ status: 'REQUIRES_AUTHENTICATION', next_action: { type: 'REDIRECT', method: 'GET', path: '/simulator/bank/sim_1' } }), 'https://x/');
    assert.deepEqual(redirect.kind === 'PENDING_AUTHENTICATION' && redirect.authentication, { method: 'GET', url: 'https://x/simulator/bank/sim_1' });
  });

  it('Luhn, expiry and amounts', () => {
    assert.ok(luhnValid('4111111111111111'));
    assert.ok(luhnValid('5555555555554444'));
    assert.ok(!luhnValid('4111111111111112'));
    assert.ok(!luhnValid('4111-1111'));
    const june2026 = Date.UTC(2026, 5, 15);
    assert.ok(!cardExpired('06', '2026', june2026), 'valid through the end of its month');
    assert.ok(cardExpired('05', '26', june2026));
    assert.ok(!cardExpired('01', '27', june2026));
    assert.ok(cardExpired('13', '2030', june2026));
    assert.equal(formatMinorUnits(12_345, 'INR'), '123.45');
    assert.equal(formatMinorUnits(5, 'INR'), '0.05');
    assert.equal(formatMinorUnits(500, 'JPY'), '500');
  });
});

describe('docs/connectors/simulator.md', () => {
  it('lists every raw code of the status table with the same mapping', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/connectors/simulator.md', import.meta.url), 'utf8');
    const rows = new Map<string, string[]>();
    for (const line of doc.split('\n')) {
      const match = /^\| `([^`]+)` \| (.+) \|$/.exec(line);
      if (match) rows.set(match[1], match[2].split(' | '));
    }
    assert.deepEqual([...rows.keys()].sort(), Object.keys(SIMULATOR_STATUS_TABLE).sort());
    for (const [code, e] of Object.entries(SIMULATOR_STATUS_TABLE)) {
      assert.deepEqual(rows.get(code), [e.message, e.outcome, e.unifiedCode ?? '-', e.category ?? '-', e.failureClass ?? '-', e.retryable ? 'yes' : 'no', e.countsAgainstGateway ? 'yes' : 'no'], code);
    }
  });
});
