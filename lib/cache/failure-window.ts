/**
 * Failures per key (an account, a client address) in a sliding window, in memory: one app
 * instance throttles its own traffic. The number of keys is bounded — the oldest are forgotten
 * first — so an attacker who varies the key (spoofed addresses) cannot grow it without limit.
 */
export type FailureWindow = {
  /** Seconds until the key may try again (0: now). */
  retryAfterSeconds: (key: string, now?: number) => number;
  record: (key: string, now?: number) => void;
  clear: (key: string) => void;
};

export function createFailureWindow({
  limit,
  windowMs,
  maxKeys = 10_000,
}: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): FailureWindow {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfterSeconds: (key, now = Date.now()) => {
      const times = recent(key, now);
      return times.length >= limit ? Math.max(1, Math.ceil((times[times.length - limit]! + windowMs - now) / 1000)) : 0;
    },
    record: (key, now = Date.now()) => {
      const times = [...recent(key, now), now].slice(-limit);
      failures.delete(key); // re-insert: Map order is the eviction order (least recently failed first)
      failures.set(key, times);
      if (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    clear: (key) => void failures.delete(key),
  };
}
