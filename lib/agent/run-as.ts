import { execFileSync, spawnSync } from "node:child_process";

/** [file, args] that run `command` as `owner` when the agent is root (PostgreSQL and PgBouncer refuse root). */
export function asOwner(owner: string | null, command: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot && owner && owner !== "root" ? ["runuser", ["-u", owner, "--", command, ...args]] : [command, args];
}

/** Runs a command, returning its failure as text (stderr or exit status) instead of throwing. */
export function runCommand(file: string, args: string[], timeoutMs = 60_000): { ok: boolean; output: string } {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  if (result.error) return { ok: false, output: `${file}: ${result.error.message}` };
  return { ok: result.status === 0, output: result.status === 0 ? output : `${file} exited with ${result.status}: ${output.slice(-500)}` };
}

/** uid and gid of an OS user, for chown (null: keep the agent's own). */
export function idsOf(owner: string | null): { uid: number; gid: number } | null {
  if (!owner || process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync("id", [flag, owner], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}
