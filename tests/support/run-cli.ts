import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const TIMEOUT_MS = 120_000;
const bundle = path.join(root, "dist", "cli.mjs");
let bundleChecked = false;

/**
 * `npm run cli`'s command line without npm in between: the bundle it runs (dist/cli.mjs), rebuilt
 * first, once per test file, when missing or older than its sources, as `npm run cli` does.
 */
function cliArgs(args: string[]): string[] {
  if (!bundleChecked) {
    const build = spawnSync(process.execPath, [path.join(root, "scripts", "cli.mjs"), "--build-only"], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`building dist/cli.mjs failed: ${build.stderr}`);
    bundleChecked = true;
  }
  return [bundle, ...args];
}

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** Runs `npm run cli -- …` the way an operator would (the bundled CLI). */
export function runCli(args: string[], options: { env: Record<string, string>; input?: string }): CliRun {
  const result = spawnSync(process.execPath, cliArgs(args), {
    cwd: root,
    env: { ...process.env, ...options.env },
    input: options.input ?? "",
    encoding: "utf8",
    timeout: TIMEOUT_MS,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** `runCli` without blocking this process: for tests whose own requests must keep flowing meanwhile. */
export function runCliAsync(args: string[], options: { env: Record<string, string>; timeoutMs?: number }): Promise<CliRun> {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.timeoutMs ?? TIMEOUT_MS,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}
