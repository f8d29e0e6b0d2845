// Diagnostic (`tsx --conditions=react-server scripts/bench/agents-profile.ts`, PROFILE_DB=postgres://…
// for PostgreSQL): CPU per call of the services behind one idle agent poll, in process, beside a
// bare SELECT 1 — what `npm run bench -- agents` measures through HTTP, without Next.js around it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import { loadKeyRing } from "@/lib/secrets/key-ring";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";
import { enrollAgent } from "@/lib/services/agents/enroll-agent";
import { authenticateNodeCredential } from "@/lib/services/agents/authenticate-node-credential";
import { getAgentState } from "@/lib/services/agents/get-agent-state";
import { recordAgentStatus } from "@/lib/services/agents/record-agent-status";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-agents-profile-"));
const handle = await openDatabase(
  process.env.PROFILE_DB ? { kind: "postgres", url: process.env.PROFILE_DB } : { kind: "pglite", dataDir: path.join(dir, "pglite") },
);
const keyRing = loadKeyRing({ dataDir: dir, envKeyBase64: Buffer.alloc(32, 5).toString("base64"), keyIdInUse: null });
const cli = { type: "cli", label: "p" } as const;
const db = handle.db;
await createCluster(db, cli, keyRing.current, { name: "p" });
const { node } = await addNode(db, cli, keyRing, "p", { hostname: "db1.p.internal", role: "primary" });
const { code } = await createEnrollmentCode(db, cli, node.id);
const { csrPem } = await createCsr({ subject: { CN: "db1.p.internal" }, dnsNames: ["db1.p.internal"] });
const { credential, reissued } = await enrollAgent(db, keyRing, { code, csrPem }, { ipAddress: "127.0.0.1", userAgent: null });
const info = { ipAddress: "127.0.0.1", userAgent: null };
const serial = reissued.certificate.serialHex;
const status = {
  agentVersion: "0.1.0",
  installedSerial: serial,
  servedSerial: serial,
  rootFingerprints: [],
  crls: [],
  lastInstall: null,
  error: null,
};
const N = Number(process.env.N ?? 2000);
for (const [label, fn] of [
  ["select 1", () => db.execute(sql`SELECT 1`)],
  ["auth", () => authenticateNodeCredential(db, credential, info)],
  ["state", async () => getAgentState(db, await authenticateNodeCredential(db, credential, info))],
  ["status", async () => recordAgentStatus(db, await authenticateNodeCredential(db, credential, info), status)],
] as const) {
  for (let i = 0; i < 200; i++) await fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${label}: ${((performance.now() - t0) / N).toFixed(3)} ms wall, ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms CPU per call`,
  );
}
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
