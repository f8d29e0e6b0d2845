import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { AGENT_BUNDLE, AGENT_NODE } from "./agent-cli";

/** A laptop: a throwaway HOME (config, ~/.postgresql, ~/.pg_service.conf all under it). */
export function laptopEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  // libpq and XDG variables of the machine running the test would point outside the laptop.
  for (const key of Object.keys(env)) if (/^(PG|XDG_)/.test(key) && !(key in extra)) delete env[key];
  return env;
}

/** Runs a developer command of the bundled dist/cluster-tls.mjs on the Node it promises (18). */
export function runDeveloper(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<{ code: number; stdout: string; stderr: string; output: string }> {
  return new Promise((resolve) => {
    execFile(
      AGENT_NODE.binary,
      [...AGENT_NODE.flags, AGENT_BUNDLE, ...args],
      { timeout: timeoutMs, encoding: "utf8", env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Every file under `dir` with its bytes, to compare a tree before and after. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, "base64");
    }
  };
  walk(dir);
  return out;
}

/** A developer command in the background (`login` waits for an approval the test gives meanwhile). */
export function startDeveloper(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(AGENT_NODE.binary, [...AGENT_NODE.flags, AGENT_BUNDLE, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  /** Resolves with the first match of `pattern` in the output so far or to come. */
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = output.match(pattern);
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, output: () => output, exited, waitFor, stop: () => (child.exitCode === null && child.kill("SIGTERM"), exited) };
}
