/** An instance whose heartbeat is older than this is taken for dead (three missed beats, HEARTBEAT_INTERVAL_MS). */
export const LIVE_WINDOW_MS = 30_000;

export type InstanceRow = { instance: string; currentKeyId: string; keyIds: string[]; startedAt: Date; lastSeenAt: Date };

/**
 * The instances seen within LIVE_WINDOW_MS of `now` (the database's clock, which set lastSeenAt),
 * without `exclude`: the process asking, whose own row may lag behind what it holds in memory.
 */
export function liveInstances<T extends Pick<InstanceRow, "instance" | "lastSeenAt">>(
  rows: readonly T[],
  now: Date,
  { exclude }: { exclude?: string } = {},
): T[] {
  return rows.filter((row) => row.instance !== exclude && now.getTime() - row.lastSeenAt.getTime() <= LIVE_WINDOW_MS);
}
