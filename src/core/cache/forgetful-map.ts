// A bounded map that forgets everything at once when full: for values that are a pure function of
// their key (a credential's digest), so that a key seen again is not computed again, with no
// invalidation to get wrong and no order to keep. Local to one process.
export class ForgetfulMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Remembers `value` for `key`, emptying the map first when it holds `maxEntries` already. */
  remember(key: string, value: V): V {
    if (!this.entries.has(key)) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }
}
