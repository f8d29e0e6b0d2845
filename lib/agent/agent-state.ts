import fs from "node:fs";
import path from "node:path";

/** What the agent remembers between polls (stateDir/state.json); the live files are the truth for what is installed. */
export type AgentMemory = {
  /** ETag of the last server state installed and proven: sent as If-None-Match. */
  etag: string | null;
  installedSerial: string | null;
  servedSerial: string | null;
  lastProvenAt: string | null;
  lastInstall: { at: string; ok: boolean; error: string | null } | null;
  /** CRL number installed per issuer (hex of the issuer DER's SHA-256 is overkill: the issuer as text). */
  crlNumbers: Record<string, string>;
  lastError: string | null;
};

const EMPTY: AgentMemory = {
  etag: null,
  installedSerial: null,
  servedSerial: null,
  lastProvenAt: null,
  lastInstall: null,
  crlNumbers: {},
  lastError: null,
};
const file = (stateDir: string) => path.join(stateDir, "state.json");
/** A key made for a CSR whose certificate is not installed yet: never leaves the node. */
export const pendingKeyPath = (stateDir: string) => path.join(stateDir, "pending.key");

export function readMemory(stateDir: string): AgentMemory {
  try {
    return { ...EMPTY, ...(JSON.parse(fs.readFileSync(file(stateDir), "utf8")) as Partial<AgentMemory>) };
  } catch {
    return { ...EMPTY };
  }
}

export function writeMemory(stateDir: string, memory: AgentMemory): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const temporary = `${file(stateDir)}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify(memory, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file(stateDir));
}
