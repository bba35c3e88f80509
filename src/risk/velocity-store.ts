// The velocity counter port: sliding-window sums per key, with an atomic check-and-add so that
// concurrent attempts on one card can never pass a limit together. Adapters: in memory (below,
// for tests and single-process use), Redis (src/storage/redis-velocity-store.ts) and the database
// (src/storage/velocity-repository.ts). An event at time t counts while now - t < window (one
// stamped later than now, by another instance's clock, counts as well).

export interface CheckAndAdd {
  key: string;
  windowMs: number;
  /** The largest window total allowed once this event is added. */
  limit: number;
  /** 1 for an attempt count, the amount for an amount sum. */
  weight: number;
  nowMs: number;
  /** Unique per event (the attempt's id): a retried call adds it once. */
  eventId: string;
}

/** One limit of an attempt checked together with the others (checkAndAddAll). */
export interface BatchEntry {
  key: string;
  windowMs: number;
  limit: number;
  weight: number;
  /** Over this limit the attempt is blocked: then it is added to no key at all. */
  blocking: boolean;
}

export interface VelocityStore {
  /**
   * All of an attempt's limits in one atomic step (one Redis script, one database transaction):
   * each entry is allowed when its window total + weight <= limit; when a blocking entry is not
   * allowed nothing is added, otherwise the event is added to every allowed entry. Answers per entry.
   */
  checkAndAddAll(entries: readonly BatchEntry[], nowMs: number, eventId: string): Promise<Array<{ allowed: boolean; total: number }>>;
  /** In one atomic step: when total + weight <= limit, adds the event; either way answers the total after. */
  checkAndAdd(req: CheckAndAdd): Promise<{ allowed: boolean; total: number }>;
  /** Adds an event unconditionally; answers the window total after. */
  add(req: Omit<CheckAndAdd, 'limit'>): Promise<number>;
  /** The window total now, changing nothing (dry runs). */
  total(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** Blocks a key (a card-testing source) until a time. */
  setBlock(key: string, untilMs: number): Promise<void>;
  /** When the key's block ends, or null when it is not blocked at nowMs. */
  blockedUntil(key: string, nowMs: number): Promise<number | null>;
}

interface Series {
  at: number[];
  weight: number[];
  id: string[];
  ids: Set<string>;
  maxWindow: number;
}

/** In-process counters: exact (JavaScript runs each call to completion), not shared between processes. */
export class MemoryVelocityStore implements VelocityStore {
  private readonly series = new Map<string, Series>();
  private readonly blocks = new Map<string, number>();

  private prune(key: string, windowMs: number, nowMs: number): Series {
    let s = this.series.get(key);
    if (!s) {
      s = { at: [], weight: [], id: [], ids: new Set(), maxWindow: windowMs };
      this.series.set(key, s);
    }
    s.maxWindow = Math.max(s.maxWindow, windowMs);
    // Drop what no window of this key can see any more.
    let drop = 0;
    while (drop < s.at.length && nowMs - s.at[drop] >= s.maxWindow) drop++;
    if (drop > 0) {
      s.at.splice(0, drop);
      s.weight.splice(0, drop);
      for (const id of s.id.splice(0, drop)) s.ids.delete(id);
    }
    return s;
  }

  private sum(s: Series, windowMs: number, nowMs: number): number {
    let total = 0;
    for (let i = s.at.length - 1; i >= 0; i--) {
      const age = nowMs - s.at[i];
      if (age >= windowMs) break;
      total += s.weight[i]; // an event stamped ahead of this clock (another instance) counts too
    }
    return total;
  }

  private insert(s: Series, at: number, weight: number, id: string): void {
    let i = s.at.length;
    while (i > 0 && s.at[i - 1] > at) i--;
    s.at.splice(i, 0, at);
    s.weight.splice(i, 0, weight);
    s.id.splice(i, 0, id);
    s.ids.add(id);
  }

  async checkAndAdd(req: CheckAndAdd): Promise<{ allowed: boolean; total: number }> {
    const s = this.prune(req.key, req.windowMs, req.nowMs);
    const total = this.sum(s, req.windowMs, req.nowMs);
    if (s.ids.has(req.eventId)) return { allowed: true, total };
    if (total + req.weight > req.limit) return { allowed: false, total };
    this.insert(s, req.nowMs, req.weight, req.eventId);
    return { allowed: true, total: total + req.weight };
  }

  async checkAndAddAll(entries: readonly BatchEntry[], nowMs: number, eventId: string): Promise<Array<{ allowed: boolean; total: number }>> {
    const states = entries.map((e) => {
      const s = this.prune(e.key, e.windowMs, nowMs);
      const total = this.sum(s, e.windowMs, nowMs);
      const seen = s.ids.has(eventId);
      return { s, total, seen, allowed: seen || total + e.weight <= e.limit };
    });
    const blocked = entries.some((e, i) => e.blocking && !states[i].allowed);
    return states.map((st, i) => {
      if (blocked || !st.allowed || st.seen) return { allowed: st.allowed, total: st.total };
      this.insert(st.s, nowMs, entries[i].weight, eventId);
      return { allowed: true, total: st.total + entries[i].weight };
    });
  }

  async add(req: Omit<CheckAndAdd, 'limit'>): Promise<number> {
    const s = this.prune(req.key, req.windowMs, req.nowMs);
    if (!s.ids.has(req.eventId)) this.insert(s, req.nowMs, req.weight, req.eventId);
    return this.sum(s, req.windowMs, req.nowMs);
  }

  async total(key: string, windowMs: number, nowMs: number): Promise<number> {
    const s = this.series.get(key);
    return s ? this.sum(s, windowMs, nowMs) : 0;
  }

  async setBlock(key: string, untilMs: number): Promise<void> {
    this.blocks.set(key, Math.max(untilMs, this.blocks.get(key) ?? 0));
  }

  async blockedUntil(key: string, nowMs: number): Promise<number | null> {
    const until = this.blocks.get(key);
    return until !== undefined && until > nowMs ? until : null;
  }
}
