// `npm run bench -- agents [pglite|postgres]`: a fleet of node agents polling one production server
// (`npm start`). 1,000 agents are enrolled through the real flow over HTTP (an admin token asks
// POST /api/v1/nodes/{id}/enrollment for a code, the "agent" makes a P-256 key and CSR here and
// POSTs /api/v1/agent/enroll), then every poll is what lib/agent/poll-once.ts sends when nothing
// changed: GET /api/v1/agent/state with If-None-Match → 304, then POST /api/v1/agent/status — on
// one fresh connection per poll (a 60 s interval outlives any keep-alive). Polls are scheduled
// open-loop at a fixed rate: the 1,000 agents at one poll a minute, then the rate of 10,000 agents
// (166.7 polls/s = 333 requests/s; each of the 1,000 agents then polls every 6 s — the server's work
// per poll does not depend on how many distinct agents send them). The peer: GET /api/health at the
// same request rate and connection pattern, same server, same run. Server CPU is utime+stime of
// `npm start`'s process tree from /proc (the database's own processes reported apart for PostgreSQL).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { openDatabase, schema } from "@/lib/db";
import { createCsr, fingerprintSha256, parseCrl, pemToDerAll } from "@/lib/pki";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { createUser } from "@/lib/services/users/create-user";
import type { DatabaseConfig } from "@/lib/config";
import { startPostgres } from "@/scripts/test-harness/postgres-server";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import type { Backend } from "./fleet";

const MASTER_KEY = Buffer.alloc(32, 5).toString("base64");
/** AGENTS_COUNT is for trying the bench out quickly; the figures are for 1,000. */
const AGENTS = Number(process.env.AGENTS_COUNT ?? 1_000);
const CLUSTER = "agents-prod";
const TICKS_PER_SECOND = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

export type Phase = {
  label: string;
  agentsPerMinute: number;
  seconds: number;
  polls: number;
  reqPerSec: number;
  /** Server (`npm start` tree) CPU time per poll × the offered poll rate, as % of one core. */
  cpuPercent: number;
  /** PostgreSQL's own processes, % of one core (null on PGlite: it runs inside the server). */
  databaseCpuPercent: number | null;
  rssMb: number;
  p50: number;
  p99: number;
  errors: number;
  unexpected: number;
};
export type AgentsResult = { backend: Backend; enrollSeconds: number; idleCpuPercent: number; phases: { ours: Phase; peer: Phase }[] };

type Agent = { credential: string; etag: string; status: string };

async function seed(config: DatabaseConfig) {
  const key = parseMasterKey(MASTER_KEY, "bench");
  const handle = await openDatabase(config);
  try {
    const cli = { type: "cli", label: "bench" } as const;
    await createUser({
      db: handle.db,
      actor: cli,
      input: { email: "agents@example.com", password: "agents password 123", name: "Agents", role: "admin" },
      hashPassword,
    });
    const cluster = await createCluster(handle.db, cli, key, { name: CLUSTER });
    const nodes = await handle.db
      .insert(schema.nodes)
      .values(
        Array.from({ length: AGENTS }, (_, i) => ({
          clusterId: cluster.id,
          hostname: `db${i}.agents.internal`,
          role: "replica" as const,
          ipAddresses: [`10.2.${i >> 8}.${i & 255}`],
        })),
      )
      .returning({ id: schema.nodes.id });
    // The nodes as they were before their agents: a server certificate each (key made here).
    await bulkReissueNodes(handle.db, cli, { current: key, all: [key], source: "bench" }, CLUSTER);
    const { token } = await createApiToken(handle.db, cli, { name: "agents bench", role: "admin", clusters: [], days: 1 });
    return { nodeIds: nodes.map((n) => n.id), token };
  } finally {
    await handle.close();
  }
}

/** One request on `agent` (a connection of its own); resolves with status and ms, never rejects. */
function request(
  agent: http.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; ms: number; body: string; headers: http.IncomingHttpHeaders }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
        }),
      );
      res.on("error", () => resolve({ status: 0, ms: performance.now() - started, body: "", headers: {} }));
    });
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started, body: "", headers: {} }));
    req.end(init.body);
  });
}

const json = (credential: string) => ({ authorization: `Bearer ${credential}`, "content-type": "application/json" });

/** The status body lib/agent/status-report.ts builds for a node whose files are current. */
async function statusBody(state: { certificate: { serial: string }; rootPem: string; crlPem: string }) {
  const rootFingerprints = await Promise.all(
    pemToDerAll(state.rootPem, "CERTIFICATE").map(async (der) => (await fingerprintSha256(der)).hex.toUpperCase()),
  );
  const crls = pemToDerAll(state.crlPem, "X509 CRL").map((der) => {
    const crl = parseCrl(der);
    return {
      issuer: Buffer.from(crl.issuerDer).toString("hex"),
      number: crl.crlNumber?.toString() ?? null,
      nextUpdate: crl.nextUpdate?.toISOString() ?? null,
    };
  });
  const serial = state.certificate.serial;
  return JSON.stringify({
    agentVersion: "0.1.0",
    installedSerial: serial,
    servedSerial: serial,
    rootFingerprints,
    crls,
    lastInstall: { at: new Date().toISOString(), ok: true, error: null },
    error: null,
  });
}

/** Enrollment through the API, as `agent enroll` does it, 8 at a time; then each agent's first state and report. */
async function enrollAll(base: string, token: string, nodeIds: string[]): Promise<Agent[]> {
  const agents: Agent[] = [];
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let next = 0;
  const worker = async () => {
    while (next < nodeIds.length) {
      const nodeId = nodeIds[next++]!;
      const code = await request(keepAlive, `${base}/api/v1/nodes/${nodeId}/enrollment`, {
        method: "POST",
        headers: json(token),
        body: "{}",
      });
      if (code.status !== 201) throw new Error(`enrollment code for ${nodeId}: ${code.status} ${code.body}`);
      const { hostname } = JSON.parse(code.body) as { hostname: string };
      const { csrPem } = await createCsr({ subject: { CN: hostname }, dnsNames: [hostname] });
      const enrolled = await request(keepAlive, `${base}/api/v1/agent/enroll`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: (JSON.parse(code.body) as { code: string }).code, csrPem }),
      });
      if (enrolled.status !== 201) throw new Error(`enroll ${hostname}: ${enrolled.status} ${enrolled.body}`);
      const { credential } = JSON.parse(enrolled.body) as { credential: string };
      const state = await request(keepAlive, `${base}/api/v1/agent/state`, { headers: json(credential) });
      if (state.status !== 200) throw new Error(`state of ${hostname}: ${state.status} ${state.body}`);
      const status = await statusBody(JSON.parse(state.body) as Parameters<typeof statusBody>[0]);
      const report = await request(keepAlive, `${base}/api/v1/agent/status`, { method: "POST", headers: json(credential), body: status });
      if (report.status !== 200) throw new Error(`status of ${hostname}: ${report.status} ${report.body}`);
      agents.push({ credential, etag: String(state.headers.etag), status });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  keepAlive.destroy();
  return agents;
}

/** CPU time (ticks, including reaped children's) and RSS (MB) of `pid` and every process under it. */
function treeUsage(rootPid: number): { ticks: number; rssMb: number } {
  const stats = new Map<number, string[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      stats.set(Number(entry), stat.slice(stat.lastIndexOf(")") + 2).split(" "));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) for (const [pid, fields] of stats) if (Number(fields[1]) === tree[i]) tree.push(pid);
  let ticks = 0;
  let rssPages = 0;
  for (const pid of tree) {
    const fields = stats.get(pid);
    if (!fields) continue;
    // Fields after "(comm) ": [0] state … [11] utime, [12] stime, [13] cutime, [14] cstime (of
    // reaped children: PostgreSQL's backends end with their connections), [21] rss (pages).
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    rssPages += Number(fields[21]);
  }
  return { ticks, rssMb: (rssPages * 4096) / 1024 / 1024 };
}

/**
 * `pollsPerSecond` polls, open loop (a late answer does not delay the next poll), for `seconds`
 * after `warmup` seconds; `poll` gets a fresh connection and returns its requests' outcomes.
 */
async function runPhase(
  label: string,
  agentsPerMinute: number,
  seconds: number,
  warmup: number,
  poll: (i: number, connection: http.Agent) => Promise<{ ok: boolean; expected: boolean; ms: number }[]>,
  serverPid: number,
  databasePid: number | null,
): Promise<Phase> {
  const pollsPerSecond = agentsPerMinute / 60;
  const times: number[] = [];
  let errors = 0;
  let unexpected = 0;
  let timed = false;
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  let before = { server: treeUsage(serverPid), database: databasePid ? treeUsage(databasePid) : null, at: t0 };
  let rssMax = 0;
  const total = Math.round((warmup + seconds) * pollsPerSecond);
  const warmupPolls = Math.round(warmup * pollsPerSecond);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i / pollsPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (i === warmupPolls) {
      timed = true;
      before = { server: treeUsage(serverPid), database: databasePid ? treeUsage(databasePid) : null, at: performance.now() };
    }
    const measured = timed;
    const connection = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const task = poll(i, connection)
      .then((outcomes) => {
        if (!measured) return;
        for (const o of outcomes) {
          times.push(o.ms);
          if (!o.ok) errors++;
          else if (!o.expected) unexpected++;
        }
      })
      .finally(() => {
        connection.destroy();
        inFlight.delete(task);
      });
    inFlight.add(task);
    if (i % Math.max(1, Math.round(pollsPerSecond)) === 0 && timed) rssMax = Math.max(rssMax, treeUsage(serverPid).rssMb);
  }
  // The window ends when the last answer is in: a server that falls behind pays for its backlog here.
  await Promise.all(inFlight);
  const after = { server: treeUsage(serverPid), database: databasePid ? treeUsage(databasePid) : null, at: performance.now() };
  const elapsed = (after.at - before.at) / 1000;
  const polls = total - warmupPolls;
  // CPU as the share of one core the offered rate needs: CPU time per poll × polls per second.
  const percent = (a: number, b: number) => ((b - a) / TICKS_PER_SECOND / polls) * pollsPerSecond * 100;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    label,
    agentsPerMinute,
    seconds: elapsed,
    polls,
    reqPerSec: times.length / elapsed,
    cpuPercent: percent(before.server.ticks, after.server.ticks),
    databaseCpuPercent: before.database && after.database ? percent(before.database.ticks, after.database.ticks) : null,
    rssMb: Math.max(rssMax, after.server.rssMb),
    p50: at(0.5),
    p99: at(0.99),
    errors,
    unexpected,
  };
}

export async function agentsBenchmark(backend: Backend, seconds = 60): Promise<AgentsResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-agents-"));
  const pg = backend === "postgres" ? await startPostgres({ databases: ["agents"], settings: { shared_buffers: "128MB" } }) : null;
  const url = pg?.url.replace(/\/postgres$/, "/agents");
  try {
    const { nodeIds, token } = await seed(url ? { kind: "postgres", url } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    const app = await launchApp({
      CLUSTER_TLS_DATA_DIR: dataDir,
      CLUSTER_TLS_MASTER_KEY: MASTER_KEY,
      CLUSTER_TLS_JOBS: "off",
      ...(url ? { DATABASE_URL: url } : {}),
    });
    try {
      if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const enrollStarted = performance.now();
      const agents = await enrollAll(app.url, token, nodeIds);
      const enrollSeconds = (performance.now() - enrollStarted) / 1000;
      console.log(`  ${agents.length} agents enrolled through the API in ${enrollSeconds.toFixed(1)} s`);
      const databasePid = pg ? Number(fs.readFileSync(path.join(pg.dataDir, "postmaster.pid"), "utf8").split("\n")[0]) : null;
      const serverPid = app.child.pid!;
      const agentPoll = async (i: number, connection: http.Agent) => {
        const agent = agents[i % agents.length]!;
        const state = await request(connection, `${app.url}/api/v1/agent/state`, {
          headers: { ...json(agent.credential), "if-none-match": agent.etag },
        });
        const report = await request(connection, `${app.url}/api/v1/agent/status`, {
          method: "POST",
          headers: json(agent.credential),
          body: agent.status,
        });
        return [
          { ok: state.status > 0 && state.status < 500, expected: state.status === 304, ms: state.ms },
          { ok: report.status > 0 && report.status < 500, expected: report.status === 200, ms: report.ms },
        ];
      };
      const healthPoll = async (_: number, connection: http.Agent) => {
        const first = await request(connection, `${app.url}/api/health`);
        const second = await request(connection, `${app.url}/api/health`);
        return [first, second].map((r) => ({ ok: r.status > 0 && r.status < 500, expected: r.status === 200, ms: r.ms }));
      };
      // What the server burns with nobody asking (timers, the embedded database's own upkeep).
      const idleStart = treeUsage(serverPid).ticks;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const idleCpuPercent = ((treeUsage(serverPid).ticks - idleStart) / TICKS_PER_SECOND / 10) * 100;
      console.log(`  idle server: ${idleCpuPercent.toFixed(1)}% of one core`);
      const phases: AgentsResult["phases"] = [];
      for (const agentsPerMinute of [1_000, 10_000]) {
        const fleet = agentsPerMinute.toLocaleString("en");
        const ours = await runPhase(`${fleet} agents`, agentsPerMinute, seconds, 5, agentPoll, serverPid, databasePid);
        const peer = await runPhase(
          `GET /api/health ×2 at the rate of ${fleet} agents`,
          agentsPerMinute,
          seconds,
          5,
          healthPoll,
          serverPid,
          databasePid,
        );
        phases.push({ ours, peer });
        for (const p of [ours, peer])
          console.log(
            `  ${p.label}: ${p.reqPerSec.toFixed(1)} req/s, CPU ${p.cpuPercent.toFixed(1)}% of a core${p.databaseCpuPercent === null ? "" : ` (+ PostgreSQL ${p.databaseCpuPercent.toFixed(1)}%)`}, RSS ${p.rssMb.toFixed(0)} MB, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, ${p.errors} errors, ${p.unexpected} unexpected`,
          );
      }
      return { backend, enrollSeconds, idleCpuPercent, phases };
    } finally {
      await app.stop();
    }
  } finally {
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
