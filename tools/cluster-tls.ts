// The one entry of dist/cluster-tls.mjs (bundled by scripts/build-tools.mjs: one file, Node ≥ 18,
// no npm install): the node agent (`agent enroll|run|once|status`) and the developer commands
// (`login|connect|env|status|logout`, lib/devcli).
import "@/lib/agent/webcrypto";
import path from "node:path";
import { enroll } from "@/lib/agent/api-client";
import { readMemory } from "@/lib/agent/agent-state";
import { readConfig, SERVICE_KINDS, writeConfig, type AgentConfig, type ServiceKind } from "@/lib/agent/config";
import { acquireLock } from "@/lib/agent/lock";
import { pollOnce, type Log } from "@/lib/agent/poll-once";
import { writePendingKey } from "@/lib/agent/renew-key";
import { runLoop } from "@/lib/agent/run-loop";
import { installedCrlNextUpdate } from "@/lib/agent/status-report";
import { DEVELOPER_COMMANDS, DEVELOPER_USAGE, runDeveloperCommand } from "@/lib/devcli/commands";
import { createCsr } from "@/lib/pki";

const USAGE = `usage:
developer (your laptop):
${DEVELOPER_USAGE}
agent (a database node):
  cluster-tls.mjs agent enroll --server URL --code CODE --config PATH [--data-dir DIR] [--owner postgres]
                  [--service postgres|pgbouncer|pgpool] [--verify-address host:port]
                  [--reload pg_ctl|sql[:<conninfo>]|sighup|pgbouncer-admin[:<conninfo>]|command:<shell command>] [--interval SECONDS] [--log-file FILE]
  cluster-tls.mjs agent run --config PATH      poll every interval (a service)
  cluster-tls.mjs agent once --config PATH     one poll (a timer or cron job)
  cluster-tls.mjs agent status --config PATH   what is installed, and when it was last proven`;

const log: Log = (level, message) => (level === "info" ? console.log : console.error)(`${new Date().toISOString()} ${level} ${message}`);

function options(argv: string[]): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith("--") || argv[i + 1] === undefined) throw new Error(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
    parsed[flag.slice(2)] = argv[++i]!;
  }
  return parsed;
}

const required = (o: Record<string, string>, name: string) => o[name] ?? fail(`--${name} is required\n${USAGE}`);
function fail(message: string): never {
  throw new Error(message);
}

async function enrollCommand(o: Record<string, string>): Promise<number> {
  const configPath = required(o, "config");
  const service = (o.service ?? "postgres") as ServiceKind;
  if (!SERVICE_KINDS.includes(service)) fail(`--service must be one of ${SERVICE_KINDS.join(", ")}`);
  if (service === "pgpool" && !o.reload?.startsWith("command:"))
    fail("pgpool-II does not re-read TLS files on reload: give --reload command:<a command that restarts pgpool>");
  const config: AgentConfig = {
    server: required(o, "server"),
    credential: "",
    nodeId: "",
    hostname: "",
    dataDir: o["data-dir"] ?? "/var/lib/postgresql/15/main",
    owner: o.owner ?? "postgres",
    service,
    verifyAddress: o["verify-address"] ?? "127.0.0.1:5432",
    reload: o.reload ?? (service === "pgbouncer" ? "sighup" : "pg_ctl"),
    intervalSeconds: Number(o.interval ?? 60),
    proveTimeoutSeconds: Number(o["prove-timeout"] ?? 15),
    stateDir: o["state-dir"] ?? path.join(path.dirname(path.resolve(configPath)), "state"),
    logFile: o["log-file"] ?? null,
  };
  // The key is made here and stays here; the CSR names nothing, so the server gives the node's names.
  const { csrPem, privateKeyPem } = await createCsr({});
  writePendingKey(config, privateKeyPem);
  const enrolled = await enroll(config.server, required(o, "code"), csrPem);
  Object.assign(config, { credential: enrolled.credential, nodeId: enrolled.nodeId, hostname: enrolled.hostname });
  writeConfig(configPath, config);
  log("info", `enrolled as the agent of ${enrolled.hostname} (cluster ${enrolled.clusterName}); config in ${configPath}`);
  return onePoll(config);
}

async function onePoll(config: AgentConfig): Promise<number> {
  const release = acquireLock(config.stateDir);
  try {
    const result = await pollOnce(config, log);
    return result.outcome === "installed" || result.outcome === "unchanged" ? 0 : 1;
  } finally {
    release();
  }
}

function statusCommand(config: AgentConfig): number {
  const memory = readMemory(config.stateDir);
  const crlNextUpdate = installedCrlNextUpdate(config);
  const lines = [
    `node            ${config.hostname} (${config.nodeId}) via ${config.server}`,
    `installed       ${memory.installedSerial ?? "—"}`,
    `served          ${memory.servedSerial ?? "—"} at ${config.verifyAddress}`,
    `last proven     ${memory.lastProvenAt ?? "never"}`,
    `last install    ${memory.lastInstall ? `${memory.lastInstall.at} ${memory.lastInstall.ok ? "ok" : `FAILED: ${memory.lastInstall.error}`}` : "—"}`,
    `CRL nextUpdate  ${crlNextUpdate?.toISOString() ?? "—"}`,
    `last error      ${memory.lastError ?? "—"}`,
  ];
  console.log(lines.join("\n"));
  return memory.lastError ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [scope, command, ...rest] = argv;
  if (DEVELOPER_COMMANDS.includes(scope as never)) return runDeveloperCommand(scope as (typeof DEVELOPER_COMMANDS)[number], argv.slice(1));
  if (scope === "help" || scope === "--help" || scope === "-h") return (console.log(USAGE), 0);
  if (scope !== "agent" || !command) fail(USAGE);
  const o = options(rest);
  if (command === "enroll") return enrollCommand(o);
  const config = readConfig(required(o, "config"));
  if (o.interval) config.intervalSeconds = Number(o.interval);
  if (command === "status") return statusCommand(config);
  if (command === "once") return onePoll(config);
  if (command === "run") {
    const release = acquireLock(config.stateDir);
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => (release(), process.exit(0)));
    await runLoop(config, log);
    return 0;
  }
  return fail(`unknown command "agent ${command}"\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`cluster-tls: ${(error as Error).message}`);
    process.exit(2);
  },
);
