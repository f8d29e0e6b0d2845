import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
export const AGENT_BUNDLE = path.join(root, "dist", "cluster-tls.mjs");

/** Builds dist/cluster-tls.mjs as `npm run build` does, so a single test file run finds it fresh. */
export function buildAgentBundle(): void {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "build-tools.mjs")], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`scripts/build-tools.mjs failed: ${result.stderr}`);
}

/**
 * The Node the bundle runs on: Node 18, the oldest it promises (Debian 12's nodejs), which
 * `npm test` fetches into .tmp/node18 (scripts/test-support/node18.mjs). Without it, this Node with
 * --no-experimental-global-webcrypto, the nearest imitation (Node 18 has no global `crypto`).
 */
const NODE18 = path.join(root, ".tmp", "node18", "bin", "node");
export const AGENT_NODE: { binary: string; flags: string[] } = fs.existsSync(NODE18)
  ? { binary: NODE18, flags: [] }
  : { binary: process.execPath, flags: ["--no-experimental-global-webcrypto"] };

/** Runs the bundled agent to the end (async: the API it talks to may live in this process). */
export function runAgent(args: string[], timeoutMs = 120_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      AGENT_NODE.binary,
      [...AGENT_NODE.flags, AGENT_BUNDLE, "agent", ...args],
      { timeout: timeoutMs, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** `agent run` in the background; stop() ends it by its own pid. */
export function startAgent(args: string[]): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(AGENT_NODE.binary, [...AGENT_NODE.flags, AGENT_BUNDLE, "agent", "run", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, output: () => output, stop: async () => (child.exitCode === null && child.kill("SIGTERM"), exited) };
}

export function editConfig(file: string, change: Record<string, unknown>): void {
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), ...change }, null, 2), { mode: 0o600 });
}
