import fs from "node:fs";
import path from "node:path";

/**
 * One agent at a time per state directory: `agent once` from a timer while `agent run` is up
 * would swap files under each other. A lock file holds the owner's pid; a dead owner's is taken over.
 */
export function acquireLock(stateDir: string): () => void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, "agent.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8"));
      if (owner > 0 && isAlive(owner))
        throw new Error(
          `another agent (pid ${owner}) is running with ${stateDir}; stop it first (agent run is a service: systemctl stop cluster-tls-agent)`,
        );
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
