// The router's compiled logics (sandbox programs for code), cached by logic id and row version:
// definitions never change (editing is copying), so a key stays valid until no merchant's
// configuration uses it any more, and is then freed.
import type { CompiledLogic, LogicSlot, RoutingEngine } from '../../routing/index.ts';
import type { PriorityLogic } from './types.ts';

export interface CompiledLogicCache {
  /** The logic's routing slot, compiled once per row version. */
  slotOf(logic: PriorityLogic): LogicSlot;
  /** The key of a logic's compiled program (what a merchant's configuration keeps in use). */
  keyOf(logic: PriorityLogic): string;
  /** The merchant's configuration now uses `keep`: frees the programs no merchant uses any more. */
  retain(merchantId: string, keep: Set<string>): void;
  /** Frees every compiled logic. */
  clear(): void;
}

export function createCompiledLogicCache(engine: RoutingEngine): CompiledLogicCache {
  const compiled = new Map<string, CompiledLogic>();
  /** Compiled keys each merchant's current configuration uses, to free the ones it no longer does. */
  const inUse = new Map<string, Set<string>>();
  const keyOf = (logic: PriorityLogic): string => `${logic.id}\u0000${logic.rowVersion}`;

  return {
    keyOf,
    slotOf(logic) {
      const key = keyOf(logic);
      let c = compiled.get(key);
      if (!c) {
        c = engine.compile(logic.definition);
        compiled.set(key, c);
      }
      return { id: logic.id, name: logic.name, version: logic.version, compiled: c };
    },
    retain(merchantId, keep) {
      const previous = inUse.get(merchantId);
      inUse.set(merchantId, keep);
      if (!previous) return;
      for (const key of previous) {
        if (keep.has(key)) continue;
        let used = false;
        for (const [m, keys] of inUse) if (m !== merchantId && keys.has(key)) used = true;
        if (!used) {
          compiled.get(key)?.dispose();
          compiled.delete(key);
        }
      }
    },
    clear() {
      for (const c of compiled.values()) c.dispose();
      compiled.clear();
      inUse.clear();
    },
  };
}
