import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { buildAgentBundle, runAgent, startAgent } from "@/tests/support/agent-cli";
import { startRouteServer } from "@/tests/support/route-server";
import { serverTlsFrom, unpackBundle } from "@/tests/support/unpack-bundle";

/**
 * The CA rotation gate, end to end: two PostgreSQL 15 nodes kept by the bundled agent (1 s polls) and a
 * third one without an agent (seen by the live probe only), through a whole CA rotation while psql connects to both agent nodes
 * at verify-full the whole time. The wizard's evidence comes from what the agents report; step 4 is
 * refused while one agent is held back (stopped) and allowed once it has caught up.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-rotation-agents-"));
fs.chmodSync(dir, 0o755);
process.env.CLUSTER_TLS_DATA_DIR = path.join(dir, "app");
delete process.env.DATABASE_URL;

const cli: Actor = { type: "cli", label: "test" };
const CLUSTER = "rotate-agents";
type Node = { name: string; id: string; pg: PostgresServer; config: string; agent: ReturnType<typeof startAgent> | null };
const nodes: Node[] = [];
let manual: { id: string; pg: PostgresServer };
let api: Awaited<ReturnType<typeof startRouteServer>>;
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
const db = () => runtime.database.db;
const steps = () => ({ db: db(), actor: cli, keyRing: runtime.keyRing, clusterRef: CLUSTER });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client's files: swapped by pointing at another directory, never rewritten under a running psql. */
let clientDir = "";
/** Successful connections per node in each phase of the rotation; every failure with its output. */
let phase = "before";
const attempts = { ok: new Map<string, number>(), failed: [] as string[] };
let connecting = false;

function connect(node: Node): Promise<void> {
  const key = `${phase} ${node.name}`;
  const conninfo = `host=127.0.0.1 port=${node.pg.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${clientDir}/root.crt sslcert=${clientDir}/client.crt sslkey=${clientDir}/client.key`;
  return new Promise((resolve) =>
    execFile(
      "psql",
      ["-X", "-A", "-t", "-w", conninfo, "-c", "SELECT 1"],
      { env: { ...process.env, PGCONNECT_TIMEOUT: "5" }, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (!error && stdout.trim() === "1") attempts.ok.set(key, (attempts.ok.get(key) ?? 0) + 1);
        else attempts.failed.push(`${key} ${new Date().toISOString()}: ${stdout}${stderr}`);
        resolve();
      },
    ),
  );
}

/** psql to every agent node, one after the other, until told to stop. */
async function connectContinuously() {
  while (connecting) {
    for (const node of nodes) await connect(node);
    await sleep(50);
  }
}

async function evidence() {
  const { getRotationEvidence } = await import("@/lib/services/rotation/get-rotation-evidence");
  return (await getRotationEvidence(db(), cli, CLUSTER))!;
}

/** Polls the evidence until `done` holds (the agents poll every second). */
async function waitForEvidence(done: (e: Awaited<ReturnType<typeof evidence>>) => boolean, what: string, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await evidence();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s; evidence ${JSON.stringify(last.nodes)}; agents: ${nodes.map((n) => n.agent?.output().slice(-2000)).join("\n---\n")}`,
      );
    await sleep(250);
    last = await evidence();
  }
  return last;
}

beforeAll(async () => {
  buildAgentBundle();
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  runtime = await getRuntime();
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { issueServerBundle } = await import("@/lib/services/nodes/issue-server-bundle");
  const { issueClientBundle } = await import("@/lib/services/certificates/issue-client-bundle");
  const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
  await createCluster(db(), cli, runtime.keyRing.current, { name: CLUSTER });
  api = await startRouteServer();
  for (const name of ["node-a.test", "node-b.test"]) {
    const id = (await addNode(db(), cli, runtime.keyRing, CLUSTER, { hostname: name, role: "other", ipAddresses: ["127.0.0.1"] })).node.id;
    const bundle = unpackBundle((await issueServerBundle(db(), cli, runtime.keyRing, id)).zip, dir, `server-${name}`);
    const pg = await startPostgres({
      tls: serverTlsFrom(bundle),
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    const config = path.join(dir, name, "agent.json");
    const { code } = await createEnrollmentCode(db(), cli, id);
    const enrolled = await runAgent([
      "enroll",
      "--server",
      api.url,
      "--code",
      code,
      "--config",
      config,
      "--data-dir",
      pg.dataDir,
      "--owner",
      "postgres",
      "--service",
      "postgres",
      "--verify-address",
      `127.0.0.1:${pg.port}`,
      "--reload",
      "pg_ctl",
      "--log-file",
      path.join(pg.socketDir, "server.log"),
      "--interval",
      "1",
      "--prove-timeout",
      "5",
    ]);
    if (enrolled.code !== 0) throw new Error(`enroll ${name}: ${enrolled.output}`);
    nodes.push({ name, id, pg, config, agent: null });
  }
  // A node nobody installed an agent on (install.sh, by hand): the live probe is all we know of it,
  // and it never holds step 4 back.
  const c = (await addNode(db(), cli, runtime.keyRing, CLUSTER, { hostname: "localhost", role: "other" })).node;
  const bundle = unpackBundle((await issueServerBundle(db(), cli, runtime.keyRing, c.id)).zip, dir, "server-c-1");
  manual = { id: c.id, pg: await startPostgres({ tls: serverTlsFrom(bundle) }) };
  const { schema } = await import("@/lib/db");
  await db().update(schema.nodes).set({ port: manual.pg.port }).where(eq(schema.nodes.id, c.id)); // the port the admin would have entered
  clientDir = unpackBundle(
    (await issueClientBundle(db(), cli, runtime.keyRing, CLUSTER, { databaseUser: "app", days: 30 })).zip,
    dir,
    "client-old-ca",
  );
}, 180_000);

afterAll(async () => {
  connecting = false;
  for (const node of nodes) {
    await node.agent?.stop();
    await node.pg.stop();
  }
  await manual?.pg.stop();
  await api?.close();
  await (await import("@/lib/db")).closeDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a CA rotation gated on what the agents report", () => {
  it("keeps psql connecting to both agent nodes throughout; retire is refused while one agent is held back and allowed after", async () => {
    const { createRotationCa, publishRotationCa, startRotationReissue, retireOldCa } =
      await import("@/lib/services/rotation/rotation-steps");
    const { continueRotation } = await import("@/lib/services/rotation/continue-rotation");
    const { getRotationStatus } = await import("@/lib/services/rotation/rotation-status");
    const { getTrustBundle } = await import("@/lib/services/clusters/get-trust-bundle");
    const { issueClientBundle } = await import("@/lib/services/certificates/issue-client-bundle");
    const { issueServerBundle } = await import("@/lib/services/nodes/issue-server-bundle");
    const [a, b] = nodes as [Node, Node];
    for (const node of nodes) node.agent = startAgent(["--config", node.config, "--interval", "1"]);
    connecting = true;
    const loop = connectContinuously();
    /** The next phase starts once psql has got through to both nodes in this one. */
    const nextPhase = async (name: string) => {
      while (nodes.some((n) => !attempts.ok.get(`${phase} ${n.name}`)) && attempts.failed.length === 0) await sleep(100);
      phase = name;
    };
    try {
      await nextPhase("rotating");
      // Step 1 and 2: the agents install root.crt = old + new; the evidence counts who trusts the new CA.
      await createRotationCa(steps());
      await publishRotationCa(steps());
      await nextPhase("published");
      const published = await waitForEvidence((e) => e.trusting === 2, "both agents report the new CA in their root.crt");
      expect(published).toMatchObject({ total: 3, trusting: 2, serving: 0 });
      expect(published.nodes.find((n) => n.hostname === "localhost")).toMatchObject({
        agent: false,
        source: "none",
        trustsNewCa: "unknown",
        servesNewCa: "unknown",
      });
      expect((await getRotationStatus(db(), cli, CLUSTER)).evidence).toMatchObject({ trusting: 2, total: 3 });
      // Clients install the new root.crt before step 3 (what the publish step asks of them).
      const bridging = path.join(dir, "client-bridging");
      fs.cpSync(clientDir, bridging, { recursive: true });
      fs.writeFileSync(path.join(bridging, "root.crt"), (await getTrustBundle(db(), cli, CLUSTER)).pem);
      clientDir = bridging;
      await nextPhase("old + new trusted");

      // Node B's agent is held back: it trusts the new CA but will not renew under it.
      await b.agent!.stop();
      b.agent = null;
      await nextPhase("B held back");

      // Step 3: every server certificate re-issued under the new CA; agent A makes its new key and serves it.
      await startRotationReissue(steps());
      const { rotation } = await getRotationStatus(db(), cli, CLUSTER);
      expect(await continueRotation(db(), runtime.keyRing, rotation!.id)).toMatchObject({ failed: [] });
      const reissued = await waitForEvidence(
        (e) => e.nodes.find((n) => n.hostname === a.name)!.servesNewCa === "yes",
        "node A serves a certificate from the new CA",
      );
      expect(reissued.nodes.find((n) => n.hostname === b.name)).toMatchObject({ agent: true, trustsNewCa: "yes", servesNewCa: "no" });
      expect(reissued.lagging.map((n) => n.hostname)).toEqual([b.name]);
      // Clients move to a certificate from the new CA (root.crt in it: old + new, still).
      clientDir = unpackBundle(
        (await issueClientBundle(db(), cli, runtime.keyRing, CLUSTER, { databaseUser: "app", days: 30 })).zip,
        dir,
        "client-new-ca",
      );
      await nextPhase("A reissued, client on the new CA");

      // The node without an agent still serves its old certificate (nobody installed the new bundle):
      // the probe says so, and yet only the agent node B holds step 4 back.
      const { probeNode } = await import("@/lib/services/nodes/probe-node");
      expect(await probeNode(db(), cli, manual.id)).toMatchObject({ status: "older" });
      expect((await evidence()).nodes.find((n) => n.hostname === "localhost")).toMatchObject({
        agent: false,
        source: "probe",
        trustsNewCa: "unknown",
        servesNewCa: "no",
      });

      // Step 4 refused, server-side, naming the node; a wrong typed count is refused too.
      await expect(retireOldCa(steps(), { confirm: true })).rejects.toThrow(
        /1 node\(s\) with an agent do not have the new CA's chain yet: node-b\.test \(serves serial [0-9A-F]+, not from the new CA; last report .*\)\. Wait for their agents to catch up, or type 1 to retire anyway/,
      );
      await expect(retireOldCa(steps(), { confirm: true, confirmLaggingNodes: 2 })).rejects.toMatchObject({
        code: "UNPROCESSABLE",
        fieldErrors: {
          confirmLaggingNodes: [expect.stringMatching(/1 node\(s\) with an agent lack the new CA's chain now \(node-b\.test\), not 2/)],
        },
      });
      expect((await getRotationStatus(db(), cli, CLUSTER)).step).toBe("retire");

      // The operator installs node C's new bundle: the probe sees the new CA's certificate.
      const second = unpackBundle((await issueServerBundle(db(), cli, runtime.keyRing, manual.id)).zip, dir, "server-c-2");
      for (const file of ["server.crt", "root.crt", "root.crl"])
        manual.pg.writeFile(file, fs.readFileSync(path.join(second, file), "utf8"), { mode: 0o644 });
      manual.pg.writeFile("server.key", fs.readFileSync(path.join(second, "server.key"), "utf8"));
      await manual.pg.reload();
      expect(await probeNode(db(), cli, manual.id)).toMatchObject({ status: "current" });
      expect((await evidence()).nodes.find((n) => n.hostname === "localhost")).toMatchObject({
        source: "probe",
        trustsNewCa: "yes",
        servesNewCa: "yes",
      });

      // B's agent comes back, renews under the new CA: nothing lags, and step 4 goes through without a count.
      b.agent = startAgent(["--config", b.config, "--interval", "1"]);
      await nextPhase("B back");
      const caughtUp = await waitForEvidence((e) => e.lagging.length === 0, "node B catches up");
      expect(caughtUp).toMatchObject({ total: 3, trusting: 3, serving: 3 });
      expect(await retireOldCa(steps(), { confirm: true })).toMatchObject({ changed: true, result: { revokedDependents: 1 } });
      await nextPhase("retired");
      const { schema } = await import("@/lib/db");
      const [audit] = await db()
        .select()
        .from(schema.auditEvents)
        .where(eq(schema.auditEvents.action, "ca_rotation.retire"))
        .orderBy(desc(schema.auditEvents.occurredAt))
        .limit(1);
      expect(audit!.details).not.toHaveProperty("gateOverride");

      // The agents install root.crt = new CA only; clients with the new certificate keep connecting.
      const { newCa } = await getRotationStatus(db(), cli, CLUSTER);
      expect(newCa).toBeNull(); // no rotation open any more
      const onlyNew = (await getTrustBundle(db(), cli, CLUSTER)).pem;
      const deadline = Date.now() + 30_000;
      while (nodes.some((n) => fs.readFileSync(path.join(n.pg.dataDir, "root.crt"), "utf8") !== onlyNew)) {
        if (Date.now() > deadline) throw new Error("the agents did not install the new root.crt");
        await sleep(250);
      }
      await nextPhase("new root.crt installed");
      await nextPhase("done");
    } finally {
      connecting = false;
      await loop;
    }
    expect(attempts.failed, nodes.map((n) => n.agent?.output().slice(-3000)).join("\n---\n")).toEqual([]);
    const phases = [
      "before",
      "rotating",
      "published",
      "old + new trusted",
      "B held back",
      "A reissued, client on the new CA",
      "B back",
      "retired",
      "new root.crt installed",
    ];
    for (const p of phases) for (const node of nodes) expect(attempts.ok.get(`${p} ${node.name}`), `${p} ${node.name}`).toBeGreaterThan(0);
    const total = [...attempts.ok.values()].reduce((sum, n) => sum + n, 0);
    console.log(`[rotation-agents] ${total} psql connections at verify-full through ${phases.length} phases of the rotation, none failed`);
  }, 240_000);
});
