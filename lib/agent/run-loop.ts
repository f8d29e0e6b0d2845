import type { AgentConfig } from "./config";
import { pollOnce, type Log } from "./poll-once";

/** interval ± 20 %, so a fleet started together does not poll together. */
function jittered(seconds: number, random = Math.random): number {
  return seconds * 1000 * (0.8 + 0.4 * random());
}

/**
 * `agent run`: poll forever. While the server cannot be reached the wait doubles, up to 8 intervals
 * (the installed files stay as they are); the first answer brings the normal interval back.
 */
export async function runLoop(config: AgentConfig, log: Log, shouldStop: () => boolean = () => false): Promise<void> {
  let misses = 0;
  while (!shouldStop()) {
    const result = await pollOnce(config, log).catch((error: unknown) => ({
      outcome: "failed" as const,
      message: (error as Error).message,
    }));
    misses = result.outcome === "unreachable" ? misses + 1 : 0;
    const wait = jittered(config.intervalSeconds) * Math.min(2 ** misses, 8);
    if (misses > 0) log("warn", `server unreachable ${misses} time(s) in a row; next try in ${Math.round(wait / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
