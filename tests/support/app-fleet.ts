import { registerForCleanup, unregister } from "@/scripts/test-harness/cleanup";
import { exitCodeWithin, killHard, launchApp, waitForHealth, type AppProcess } from "./app-process";

/**
 * The `npm start` servers one test file runs: each is killed (whole process tree) if the test
 * process dies, and `stopAll` in afterAll stops whatever a failed test left running.
 */
export function appFleet() {
  const apps = new Set<AppProcess>();

  /** Starts a server and waits for /api/health to answer 200 (its output is the failure message). */
  async function start(env: Record<string, string>, timeoutMs = 120_000): Promise<AppProcess> {
    const app = await launchApp(env);
    apps.add(app);
    registerForCleanup(app.url, () => killHard(app)); // a killed worker leaves no server behind
    const status = await waitForHealth(app, timeoutMs);
    if (status !== 200) throw new Error(`the server did not become healthy (status ${status}):\n${app.output()}`);
    return app;
  }

  /** SIGTERM (the app closes its database cleanly); the whole process tree is killed if it hangs. */
  async function stop(app: AppProcess): Promise<number | null | "still running"> {
    app.child.kill("SIGTERM");
    const code = await exitCodeWithin(app, 20_000);
    if (code === "still running") killHard(app);
    await app.exited;
    apps.delete(app);
    unregister(app.url);
    return code;
  }

  const stopAll = async () => {
    for (const app of apps) await stop(app);
  };
  return { start, stop, stopAll };
}
