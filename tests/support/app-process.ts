import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export type AppProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs `npm start`'s script (build if needed, then scripts/serve.mjs) with the given environment. */
export async function launchApp(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const root = path.resolve(import.meta.dirname, "..", "..");
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until /api/health answers (any status) or the process exits; returns the status or null. */
export async function waitForHealth(app: AppProcess, timeoutMs = 180_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void app.exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    try {
      const response = await fetch(`${app.url}/api/health`);
      return response.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  return null;
}

/** The exit code, or "still running" after `ms` — so a server that should refuse to start fails fast. */
export async function exitCodeWithin(app: AppProcess, ms = 60_000): Promise<number | null | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"still running">((resolve) => (timer = setTimeout(() => resolve("still running"), ms)));
  const result = await Promise.race([app.exited, timeout]);
  clearTimeout(timer);
  return result;
}

/** Every process under `pid` (Next.js runs its server in a grandchild of `npm start`'s script). */
function descendants(pid: number): number[] {
  // ps exits 1 when there are none.
  const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .map(Number)
    .filter(Boolean);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * SIGKILL to `npm start`'s script and everything under it, deepest first, as a power cut would.
 * Synchronous, so it also serves as a last-resort cleanup when the test process exits.
 */
export function killHard(app: AppProcess): void {
  for (const pid of [...descendants(app.child.pid!).reverse(), app.child.pid!]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
