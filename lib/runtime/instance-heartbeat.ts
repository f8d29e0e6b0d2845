import "server-only";
import type { Database } from "@/lib/db";
import { describeError } from "@/lib/errors/describe-error";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordInstanceHeartbeat, removeInstance } from "@/lib/services/instances/record-instance-heartbeat";
import { INSTANCE } from "./instance-name";

/** Well inside the live window (LIVE_WINDOW_MS, 30 s): two beats may be missed before an instance counts as gone. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

export type Heartbeat = {
  /** Beats now, e.g. when the key watcher adopted a key: `master-key rotate` elsewhere sees it at once. */
  beat: () => void;
  /** Stops beating and deletes this server's row (shutdown). */
  stop: () => Promise<void>;
};

/** Writes this server's row in app_instances at start and every HEARTBEAT_INTERVAL_MS (the keys it holds). */
export function startInstanceHeartbeat(db: Database, keyRing: KeyRing, intervalMs = HEARTBEAT_INTERVAL_MS): Heartbeat {
  const startedAt = new Date();
  let lastError = "";
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();

  const beat = () => {
    if (stopped) return;
    // One beat at a time, in order: a late older beat must not overwrite a newer key list.
    pending = pending.then(async () => {
      if (stopped) return;
      try {
        await recordInstanceHeartbeat(db, { instance: INSTANCE, keyRing, startedAt });
        lastError = "";
      } catch (error) {
        const message = describeError(error);
        if (message !== lastError) console.error(`[cluster-tls] instance heartbeat: ${message}`);
        lastError = message;
      }
    });
  };

  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return {
    beat,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await pending;
      await removeInstance(db, INSTANCE).catch((error: unknown) =>
        console.error(`[cluster-tls] instance heartbeat: ${describeError(error)}`),
      );
    },
  };
}
