import { runRoutingKindConformance } from './common.case.ts';

const gw = (names: string[]) => names.map((gateway) => ({ gateway }));

runRoutingKindConformance('DEFAULT', (produce, _defaults, enforce) => ({ kind: 'DEFAULT', name: 'd', enforce, defaultGateways: gw(produce) }));

runRoutingKindConformance('VOLUME', (produce, defaults, enforce) => ({
  kind: 'VOLUME',
  name: 'v',
  enforce,
  defaultGateways: gw(defaults),
  splits: produce.map((gateway, i) => ({ gateway, weight: i === 0 ? 100 : 0 })),
}));

runRoutingKindConformance('RULES', (produce, defaults, enforce) => ({
  kind: 'RULES',
  name: 'r',
  enforce,
  defaultGateways: gw(defaults),
  rules: [
    { name: 'never', condition: { dimension: 'currency', operator: 'equal', value: 'XXX' }, output: { type: 'PRIORITY', gateways: gw(['ADYEN']) } },
    { name: 'always', condition: { any: [{ dimension: 'amount', operator: 'greater_than_equal', value: 0 }] }, output: { type: 'PRIORITY', gateways: gw(produce) } },
  ],
}));

runRoutingKindConformance('RULES (no rule matches)', (produce, _defaults, enforce) => ({
  kind: 'RULES',
  name: 'r',
  enforce,
  defaultGateways: gw(produce),
  rules: [{ name: 'never', condition: { dimension: 'currency', operator: 'equal', value: 'XXX' }, output: { type: 'PRIORITY', gateways: gw(['ADYEN']) } }],
}));

runRoutingKindConformance('CODE', (produce, defaults, enforce) => ({
  kind: 'CODE',
  name: 'c',
  enforce,
  defaultGateways: gw(defaults),
  code: `${enforce ? 'enforce' : 'prefer'}:${produce.join(',')}`,
}));
