import { serveAgentFast } from "@/lib/api/agent-fast-path";
import { installPublishedFileFastPath } from "@/lib/api/published-file-fast-path";
import { ConfigError } from "@/lib/config";
import { closeDatabase, DatabaseLockedError } from "@/lib/db";
import { publishServerChannel, withdrawServerChannel } from "@/lib/cli/server-channel";
import { startJobScheduler } from "@/lib/jobs/scheduler";
import { getRuntime } from "./bootstrap";
import { startInstanceHeartbeat } from "./instance-heartbeat";
import { watchMasterKeys } from "./watch-master-keys";

/**
 * Runs when the server boots (instrumentation.ts, from Next's prepare() in scripts/serve.mjs, or
 * `next dev`). Fails fast with ONE line naming the problem: if instrumentation's register() throws,
 * Next.js logs it and keeps serving 500s to every request forever, so we exit instead.
 */
export async function startServer(): Promise<void> {
  let stopWatchingKeys = () => {};
  let stopHeartbeat = async () => {};
  try {
    const opening = performance.now();
    const { config, database, keyRing } = await getRuntime();
    // Next prints "Ready" when it listens, before this runs; requests wait for it, so say when it ends.
    console.log(
      `[cluster-tls] database: ${database.description} (migrations applied, opened in ${Math.round(performance.now() - opening)} ms)`,
    );
    const alsoDecrypts = keyRing.all.filter((key) => key.id !== keyRing.current.id).map((key) => key.id);
    console.log(
      `[cluster-tls] master key ${keyRing.current.id} from ${keyRing.source}${alsoDecrypts.length > 0 ? `; also decrypting with ${alsoDecrypts.join(", ")}` : ""}`,
    );
    publishServerChannel(config.dataDir, Number(process.env.PORT ?? 3000));
    startJobScheduler(database.db, keyRing);
    // Only PostgreSQL has other instances to tell (Settings → Instance and `master-key rotate` read
    // the rows there); the embedded database belongs to this process alone.
    const heartbeat = database.kind === "postgres" ? startInstanceHeartbeat(database.db, keyRing) : null;
    if (heartbeat) stopHeartbeat = heartbeat.stop;
    stopWatchingKeys = watchMasterKeys(config.dataDir, database.db, keyRing, { onChange: heartbeat?.beat });
    installPublishedFileFastPath(serveAgentFast);
    process.on("exit", () => withdrawServerChannel(config.dataDir));
    console.log(`[cluster-tls] ready ${Math.round(process.uptime() * 1000)} ms after the server process started`);
  } catch (error) {
    console.error(`[cluster-tls] cannot start: ${describeStartupError(error)}`);
    process.exit(1);
  }
  installShutdownHandlers(stopWatchingKeys, stopHeartbeat);
}

function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * `next start` exited on SIGTERM before an async PGlite.close() finished; the custom server
 * (scripts/serve.mjs) leaves signals to us as well (NEXT_MANUAL_SIG_HANDLE=1 still set), so we
 * close the database ourselves before exiting.
 */
function installShutdownHandlers(stopWatchingKeys: () => void, stopHeartbeat: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopWatchingKeys(); // its queries would race the closing database
    console.log(`[cluster-tls] ${signal}: closing the database`);
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    stopHeartbeat() // deletes this server's row: a clean stop is not a live instance that lacks a key
      .then(closeDatabase)
      .catch((error: unknown) => console.error(`[cluster-tls] error while closing the database: ${String(error)}`))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
