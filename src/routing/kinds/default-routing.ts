// Default routing: the default gateways, tried in order.

import { structuralErrors } from '../validate.ts';
import type { CompiledLogic, DefaultLogic } from '../types.ts';

export function compileDefaultLogic(logic: DefaultLogic): CompiledLogic {
  const gateways = logic.defaultGateways;
  const compileErrors = structuralErrors(logic);
  return {
    kind: 'DEFAULT',
    name: logic.name,
    enforce: logic.enforce,
    defaultGateways: gateways,
    compileErrors,
    source: logic,
    evaluate() {
      if (compileErrors.length > 0) return { ok: false, reason: 'COMPILATION_ERROR', message: compileErrors.join('; ') };
      return { ok: true, gateways: gateways.slice(), enforced: logic.enforce, outcome: 'DEFAULT_ORDER' };
    },
    dispose() {},
  };
}
