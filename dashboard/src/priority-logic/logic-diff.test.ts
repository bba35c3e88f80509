import { describe, expect, it } from 'vitest';
import { diffLogics } from './logic-diff';
import type { LogicDefinition } from './types';

const rule = (name: string, brand: string, gateway: string) => ({
  name,
  condition: { dimension: 'card_brand', operator: 'equal' as const, value: brand },
  output: { type: 'PRIORITY' as const, gateways: [{ gateway }] },
});
const rules = (list: ReturnType<typeof rule>[], extra: Partial<LogicDefinition> = {}): LogicDefinition =>
  ({ kind: 'RULES', name: 'l', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], rules: list, ...extra }) as LogicDefinition;

describe('diffLogics', () => {
  it('finds nothing between a logic and itself', () => {
    const a = rules([rule('visa', 'VISA', 'SIM_BETA')]);
    expect(diffLogics(a, structuredClone(a))).toEqual([]);
  });

  it('names added, removed, moved and changed rules, enforce and the default gateways', () => {
    const before = rules([rule('visa', 'VISA', 'SIM_BETA'), rule('master', 'MASTERCARD', 'SIM_GAMMA'), rule('amex', 'AMEX', 'SIM_ALPHA')]);
    const after = rules([rule('master', 'MASTERCARD', 'SIM_DELTA'), rule('visa', 'VISA', 'SIM_BETA'), rule('rupay', 'RUPAY', 'SIM_BETA')], {
      enforce: true,
      defaultGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }],
    });
    const lines = diffLogics(before, after);
    const labels = lines.map((l) => l.label);
    expect(labels).toEqual(['Enforce', 'Default gateways', 'Rule 1 (master): position', 'Rule 1 (master): output', 'Rule 2 (visa): position', 'Rule 3 (rupay): added', 'Rule 3 (amex): removed']);
    expect(lines.find((l) => l.label === 'Default gateways')).toMatchObject({ before: 'SIM_ALPHA', after: 'SIM_BETA → SIM_ALPHA' });
    expect(lines.find((l) => l.label === 'Rule 1 (master): output')).toMatchObject({ before: 'SIM_GAMMA', after: 'SIM_DELTA' });
    expect(lines.find((l) => l.label === 'Rule 3 (rupay): added')!.after).toMatch(/^If .*RUPAY.* then SIM_BETA$/);
  });

  it('compares splits and code, and a change of type', () => {
    const volume = {
      kind: 'VOLUME',
      name: 'v',
      enforce: false,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      splits: [
        { gateway: 'SIM_ALPHA', weight: 70 },
        { gateway: 'SIM_BETA', weight: 30 },
      ],
    } as LogicDefinition;
    const volume2 = {
      ...volume,
      splits: [
        { gateway: 'SIM_ALPHA', weight: 50 },
        { gateway: 'SIM_BETA', weight: 50 },
      ],
    } as LogicDefinition;
    expect(diffLogics(volume, volume2)).toEqual([{ label: 'Volume split', before: '70% SIM_ALPHA, 30% SIM_BETA', after: '50% SIM_ALPHA, 50% SIM_BETA' }]);
    const code = { kind: 'CODE', name: 'c', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], code: 'a\nb' } as LogicDefinition;
    expect(diffLogics(code, { ...code, code: 'a\nb\nc' } as LogicDefinition)).toEqual([{ label: 'Code', before: '2 lines', after: '3 lines' }]);
    expect(diffLogics(volume, code).map((l) => l.label)).toEqual(['Type', 'Volume split', 'Code']);
  });
});
