import { describe, expect, it } from 'vitest';
import { describeFees, feesToRules, percentToBps, rulesToFees } from './fees.ts';

describe('fee model', () => {
  it('converts percentages through integer basis points', () => {
    expect(percentToBps('1.9')).toBe(190);
    expect(percentToBps('0.07')).toBe(7);
    expect(percentToBps('100')).toBe(10_000);
    expect(percentToBps('100.01')).toBeNull();
    expect(percentToBps('1.999')).toBeNull();
    expect(percentToBps('-1')).toBeNull();
    expect(percentToBps('1e2')).toBeNull();
  });

  it('round-trips the server map', () => {
    const fees = { percent: 2.2, fixed_minor: 0, 'UPI.percent': 0.3, 'method.NB_HDFC.fixed_minor': 1500, 'brand.VISA.percent': 1.75, 'brand.VISA.fixed_minor': 100, refund_fixed_minor: 9 };
    const { rules, other } = feesToRules(fees);
    expect(rules.map((r) => [r.scope, r.target, r.percent, r.fixed])).toEqual([
      ['default', '', '2.2', '0'],
      ['type', 'UPI', '0.3', ''],
      ['method', 'NB_HDFC', '', '1500'],
      ['brand', 'VISA', '1.75', '100'],
    ]);
    expect(other).toEqual({ refund_fixed_minor: 9 });
    expect(rulesToFees(rules, other)).toEqual({ ok: true, fees });
    expect(describeFees(fees)).toContain('Brand VISA: 1.75% + 100 minor');
  });

  it('rejects duplicate and empty rules', () => {
    const { rules } = feesToRules({ 'CARD.percent': 1 });
    const dup = [...rules, { ...rules[1]!, id: 'x' }, { id: 'y', scope: 'brand' as const, target: '', percent: '', fixed: '' }];
    const r = rulesToFees(dup, {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.x?.target).toBe('Another rule applies to this already');
      expect(r.errors.y).toEqual({ target: 'Choose what the rule applies to', percent: 'Enter a percentage, a fixed fee or both' });
    }
  });
});
