import { DAY_MS } from "./days";

const HOUR_MS = 3_600_000;

/** "in 6 days 4 h", "in 3 h 20 min", "2 days ago": a countdown precise enough to act on. */
export function formatRelative(target: Date, now: Date = new Date()): string {
  const diff = target.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.floor((abs % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((abs % HOUR_MS) / 60_000);
  const text =
    days > 0
      ? `${days} day${days === 1 ? "" : "s"}${hours ? ` ${hours} h` : ""}`
      : hours > 0
        ? `${hours} h${minutes ? ` ${minutes} min` : ""}`
        : `${minutes} min`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
