// Where decide-gateway keeps its decisions for the feedback to match: in process here (one
// instance); storage/redis-decision-contexts.ts shares them between instances.
import type { DecisionContext, DecisionContextStore } from '../ports/decision-engine-store.ts';

/** Decisions kept in process (one instance): a day, at most `max` (the oldest go first). */
export function createMemoryDecisionContexts(options: { ttlMs?: number; max?: number; now?: () => number } = {}): DecisionContextStore {
  const ttl = options.ttlMs ?? 86_400_000;
  const max = options.max ?? 200_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { context: DecisionContext; until: number }>();
  return {
    async put(key, context) {
      entries.delete(key);
      entries.set(key, { context, until: now() + ttl });
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    async get(key) {
      const e = entries.get(key);
      if (!e) return null;
      if (e.until < now()) {
        entries.delete(key);
        return null;
      }
      return e.context;
    },
  };
}
