import fs from "node:fs";
import path from "node:path";

export const SERVICE_KINDS = ["postgres", "pgbouncer", "pgpool"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** /etc/cluster-tls/agent.json: written by `agent enroll`, read by every other command. Mode 0600: it holds the node credential. */
export type AgentConfig = {
  server: string;
  credential: string;
  nodeId: string;
  hostname: string;
  /** Where the live files are: server.crt, server.key, root.crt, root.crl (the names the server bundle configures). */
  dataDir: string;
  /** OS user that owns the files and runs the reload (postgres); null keeps the agent's own user. */
  owner: string | null;
  service: ServiceKind;
  /** host:port whose served certificate proves the install. */
  verifyAddress: string;
  /** pg_ctl | sql[:<libpq conninfo>] | sighup | pgbouncer-admin[:<libpq conninfo>] | command:<shell command>. */
  reload: string;
  intervalSeconds: number;
  /** How long a reload may take to show in the served certificate. */
  proveTimeoutSeconds: number;
  /** Where the agent keeps its own state (ETag, pending key, last results). */
  stateDir: string;
  /** Optional server log to quote PostgreSQL's reason when a reload does not take. */
  logFile: string | null;
};

export const LIVE_FILES = { certificate: "server.crt", key: "server.key", root: "root.crt", crl: "root.crl" } as const;
export type FileRole = keyof typeof LIVE_FILES;
export const livePath = (config: AgentConfig, role: FileRole) => path.join(config.dataDir, LIVE_FILES[role]);

export function readConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the agent config ${file}: ${(error as Error).message} (run \`agent enroll\` first)`);
  }
  const config = JSON.parse(text) as Partial<AgentConfig>;
  for (const field of ["server", "credential", "nodeId", "dataDir", "service", "verifyAddress", "reload", "stateDir"] as const) {
    if (!config[field]) throw new Error(`${file}: "${field}" is missing`);
  }
  return { intervalSeconds: 60, proveTimeoutSeconds: 15, logFile: null, owner: null, ...config } as AgentConfig;
}

export function writeConfig(file: string, config: AgentConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
