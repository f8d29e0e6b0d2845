// What agents report, as the dashboard shows it — the nodes table's "On node" column,
// the per-node agent metrics, agent.stale once per silence, agent.install_failed once per
// failure, and Disconnect. Agents enroll through the real service with a CSR; their reports go
// through recordAgentStatus as POST /api/v1/agent/status does. The bundled agent against real
// PostgreSQL servers is in agent-postgres.test.ts and e2e/tls-agents.flow.spec.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { authenticateNodeCredential } from "@/lib/services/agents/authenticate-node-credential";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";
import { disconnectAgent } from "@/lib/services/agents/disconnect-agent";
import { enrollAgent } from "@/lib/services/agents/enroll-agent";
import { notifyStaleAgents } from "@/lib/services/agents/notify-stale-agents";
import { recordAgentStatus } from "@/lib/services/agents/record-agent-status";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { loadCurrentCrl } from "@/lib/services/agents/load-current-crl";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { renderMetrics } from "@/lib/services/metrics/render-metrics";
import { addNode } from "@/lib/services/nodes/add-node";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { createWebhook } from "@/lib/services/webhooks/manage-webhooks";

const key = parseMasterKey(Buffer.alloc(32, 19).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const cli: Actor = { type: "cli", label: "test" };
let dir: string;
let handle: DatabaseHandle;
let clusterId = "";
type Agent = { actor: Extract<Actor, { type: "node" }>; serial: string; hostname: string; nodeId: string; credential: string };
const agents: Record<"a" | "b", Agent> = {} as never;

async function enrolled(hostname: string): Promise<Agent> {
  const { node } = await addNode(handle.db, cli, keyRing, "fleet", { hostname, role: "replica" });
  const { code } = await createEnrollmentCode(handle.db, cli, node.id);
  const { reissued, credential } = await enrollAgent(
    handle.db,
    keyRing,
    { code, csrPem: (await createCsr({ subject: { CN: hostname }, dnsNames: [hostname] })).csrPem },
    { ipAddress: null, userAgent: null },
  );
  const [row] = await handle.db.select({ id: schema.nodeAgents.id }).from(schema.nodeAgents).where(eq(schema.nodeAgents.nodeId, node.id));
  return {
    actor: { type: "node", id: row!.id, nodeId: node.id, clusterId, label: `agent of ${hostname}` },
    serial: reissued.certificate.serialHex,
    hostname,
    nodeId: node.id,
    credential,
  };
}

/** A report as the agent builds it: what it installed and serves, the CRL it holds, its interval. */
async function report(agent: Agent, change: Record<string, unknown> = {}) {
  const crl = (await loadCurrentCrl(handle.db, clusterId))!;
  const body = {
    agentVersion: "0.1.0",
    installedSerial: agent.serial,
    servedSerial: agent.serial,
    crls: [{ issuer: crl.issuerHex, number: crl.number.toString(), nextUpdate: crl.nextUpdate.toISOString() }],
    lastInstall: { at: "2026-12-04T10:00:00.000Z", ok: true, error: null },
    pollIntervalSeconds: 60,
    ...change,
  };
  return recordAgentStatus(handle.db, agent.actor, JSON.parse(JSON.stringify(body)));
}

const events = async (event: string) =>
  (
    await handle.db
      .select({ payload: schema.webhookDeliveries.payload })
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.event, event as "agent.stale"))
  ).map((row) => row.payload as { data: { hostname: string; error?: string } });
const onNode = async (now = new Date()) =>
  Object.fromEntries(
    (await listNodes(handle.db, clusterId, { now })).rows.map((row) => [
      row.hostname,
      row.onNode.source === "agent" ? row.onNode.verdict : row.onNode.source,
    ]),
  );
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-agent-dash-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  clusterId = (await createCluster(handle.db, cli, key, { name: "fleet" })).id;
  await createWebhook(handle.db, cli, key, "fleet", {
    url: "https://hooks.example.com/fleet",
    events: ["agent.stale", "agent.install_failed"],
  });
  agents.a = await enrolled("a.fleet.internal");
  agents.b = await enrolled("b.fleet.internal");
  await addNode(handle.db, cli, keyRing, "fleet", { hostname: "c.fleet.internal", role: "replica" });
  await report(agents.a);
  await report(agents.b);
}, 120_000);

afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("agents in the dashboard", () => {
  it("On node: current when issued = installed = served with the current CRL; behind after a revocation re-signs the CRL; no agent without one", async () => {
    expect(await onNode()).toEqual({ "a.fleet.internal": "current", "b.fleet.internal": "current", "c.fleet.internal": "none" });
    // A revocation publishes CRL number + 1: until the agents install it, they are behind.
    const [other] = await handle.db
      .select({ serial: schema.certificates.serialHex })
      .from(schema.certificates)
      .where(eq(schema.certificates.commonName, "c.fleet.internal"));
    await revokeCertificate(handle.db, cli, keyRing, other!.serial, "superseded");
    expect(await onNode()).toMatchObject({ "a.fleet.internal": "behind", "b.fleet.internal": "behind" });
    await report(agents.a);
    await report(agents.b);
    expect(await onNode()).toMatchObject({ "a.fleet.internal": "current", "b.fleet.internal": "current" });
  });

  it("metrics: last seen, installed is current (0/1) and the installed CRL's nextUpdate, per node with an agent", async () => {
    await report(agents.b, { servedSerial: "0A" }); // serves something else (a reload that did not take)
    const { body } = await renderMetrics(handle.db, "all");
    const value = (name: string, node: string) =>
      new RegExp(`^${name}\\{cluster="fleet",node="${node.replace(/\./g, "\\.")}"\\} (\\S+)$`, "m").exec(body)?.[1];
    expect(value("cluster_tls_agent_installed_current", "a.fleet.internal")).toBe("1");
    expect(value("cluster_tls_agent_installed_current", "b.fleet.internal")).toBe("0");
    expect(Number(value("cluster_tls_agent_last_seen_timestamp_seconds", "a.fleet.internal"))).toBeCloseTo(Date.now() / 1000, -2);
    expect(Number(value("cluster_tls_agent_crl_next_update_timestamp_seconds", "a.fleet.internal"))).toBe(
      Math.floor((await loadCurrentCrl(handle.db, clusterId))!.nextUpdate.getTime() / 1000),
    );
    expect(body).not.toContain('node="c.fleet.internal"');
    await report(agents.b);
  });

  it("agent.stale: once per silence of three of its poll intervals; the next report ends it, a new silence sends it again", async () => {
    // b polls every second (stale after 3 s of silence), a every minute (after 3 min).
    await report(agents.a);
    await report(agents.b, { pollIntervalSeconds: 1 });
    expect(await onNode(later(10))).toMatchObject({ "a.fleet.internal": "current", "b.fleet.internal": "stale" });
    expect(await notifyStaleAgents(handle.db, later(10))).toMatchObject({ stale: 1, queued: 1, nodes: ["b.fleet.internal"] });
    expect(await notifyStaleAgents(handle.db, later(60))).toMatchObject({ stale: 0 });
    expect((await events("agent.stale")).map((e) => e.data.hostname)).toEqual(["b.fleet.internal"]);
    // b reports again: the silence is over; a new one (and a's first) is sent again.
    await report(agents.b, { pollIntervalSeconds: 1 });
    expect(await onNode()).toMatchObject({ "b.fleet.internal": "current" });
    expect(await notifyStaleAgents(handle.db, later(400))).toMatchObject({ stale: 2, queued: 2 });
    expect((await events("agent.stale")).map((e) => e.data.hostname).sort()).toEqual([
      "a.fleet.internal",
      "b.fleet.internal",
      "b.fleet.internal",
    ]);
    await report(agents.a);
    await report(agents.b);
  });

  it("agent.install_failed: once per failure, not for the same failure retried or reported again; the node shows failed", async () => {
    const failure = {
      installedSerial: agents.a.serial,
      servedSerial: agents.a.serial,
      error: "installed X but the server serves Y: rolled back",
      lastInstall: {
        at: "2026-12-04T11:00:00.000Z",
        ok: false,
        error: "installed X but the server serves Y: rolled back; the server said: key file has group or world access",
      },
    };
    await report(agents.a, failure);
    await report(agents.a, failure); // the same report again (its answer was lost)
    await report(agents.a, { ...failure, lastInstall: { ...failure.lastInstall, at: "2026-12-04T11:01:00.000Z" } }); // the next poll's retry fails the same way
    expect((await events("agent.install_failed")).map((e) => e.data)).toEqual([
      expect.objectContaining({ hostname: "a.fleet.internal", error: failure.lastInstall.error }),
    ]);
    expect(await onNode()).toMatchObject({ "a.fleet.internal": "failed" });
    await report(agents.a, {
      lastInstall: {
        ...failure.lastInstall,
        at: "2026-12-04T11:02:00.000Z",
        error: "nothing installed: the private key does not match certificate",
      },
    });
    expect(await events("agent.install_failed")).toHaveLength(2);
    await report(agents.a);
    expect(await onNode()).toMatchObject({ "a.fleet.internal": "current" });
  });

  it("Disconnect deletes the agent (its reports are refused from then on) and says a Re-issue is needed: no key is stored for the node", async () => {
    const request = { ipAddress: null, userAgent: null };
    await expect(authenticateNodeCredential(handle.db, agents.b.credential, request)).resolves.toMatchObject({ nodeId: agents.b.nodeId });
    const result = await disconnectAgent(handle.db, cli, agents.b.nodeId);
    await expect(authenticateNodeCredential(handle.db, agents.b.credential, request)).rejects.toThrow(/unknown node credential/);
    expect(result).toMatchObject({ hostname: "b.fleet.internal", reissueNeeded: true });
    expect(await handle.db.select().from(schema.nodeAgents).where(eq(schema.nodeAgents.nodeId, agents.b.nodeId))).toEqual([]);
    expect(await onNode()).toMatchObject({ "b.fleet.internal": "none" });
    await expect(disconnectAgent(handle.db, cli, agents.b.nodeId)).rejects.toThrow("no agent is connected to b.fleet.internal");
    const [audit] = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "agent.disconnect"));
    expect(audit!.details).toMatchObject({ hostname: "b.fleet.internal", reissueNeeded: true });
  });
});
