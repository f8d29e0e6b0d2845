import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

/** Runs `npm run cli -- …` the way an operator would (tsx, react-server conditions). */
export function runCli(args: string[], options: { env: Record<string, string>; input?: string }) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", path.join(root, "scripts", "cli.ts"), ...args],
    { cwd: root, env: { ...process.env, ...options.env }, input: options.input ?? "", encoding: "utf8", timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}
