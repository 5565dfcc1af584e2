// What an isolate may keep for a few seconds of something that rarely changes: the pending load is
// shared by concurrent requests (a burst of validates for one company reads it once), a failed load
// is forgotten at once, and the map is bounded. A change made in this isolate clears it; other
// isolates see it within `ttlMs`, so callers must only cache what may be that stale.
export interface IsolateCache<V> {
  get(key: string, load: () => Promise<V>, now?: number): Promise<V>;
  clear(): void;
}

export function isolateCache<V>(ttlMs: number, maxEntries = 5_000): IsolateCache<V> {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return {
    get(key, load, now = Date.now()) {
      const cached = entries.get(key);
      if (cached && now - cached.at <= ttlMs) return cached.value;
      if (entries.size >= maxEntries) entries.clear();
      const value = load();
      const entry = { at: now, value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}
