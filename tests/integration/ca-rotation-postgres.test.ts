// The CA rotation wizard against real servers: the four steps' rules (order, idempotence,
// cancel), step 3 killed with SIGKILL half-way and resumed by the job, and a PostgreSQL node whose
// clients keep connecting through every step while its files are updated the way an operator would.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { caRotationJob } from "@/lib/jobs/ca-rotation";
import { runJob } from "@/lib/jobs/run-job";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { continueRotation } from "@/lib/services/rotation/continue-rotation";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";
import {
  cancelRotation,
  createRotationCa,
  publishRotationCa,
  retireOldCa,
  startRotationReissue,
} from "@/lib/services/rotation/rotation-steps";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { hbaLinesFrom, serverTlsFrom, unpackBundle } from "@/tests/support/unpack-bundle";

const root = path.resolve(import.meta.dirname, "..", "..");
const keyBase64 = Buffer.alloc(32, 21).toString("base64");
const key = parseMasterKey(keyBase64, "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

let appDb: PostgresServer;
let appUrl: string;
let handle: DatabaseHandle;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-rotation-"));
  fs.chmodSync(dir, 0o755);
  appDb = await startPostgres({ databases: ["ctls"] });
  appUrl = appDb.url.replace(/\/postgres$/, "/ctls");
  handle = await openDatabase({ kind: "postgres", url: appUrl });
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await appDb?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const steps = (clusterRef: string) => ({ db: handle.db, actor: admin, keyRing, clusterRef });
const countPem = (pem: string, label: string) => pem.split(`-----BEGIN ${label}-----`).length - 1;

async function activeServerCertificates(clusterName: string) {
  const { certificates: c, clusters, nodes } = schema;
  return handle.db
    .select({ nodeId: c.nodeId, issuerCaId: c.issuerCaId, replaces: c.replacesCertificateId, hasKey: c.encryptedPrivateKey })
    .from(c)
    .innerJoin(clusters, eq(clusters.id, c.clusterId))
    .innerJoin(nodes, eq(nodes.id, c.nodeId))
    .where(and(eq(clusters.name, clusterName), eq(c.kind, "server"), eq(c.status, "active"), isNull(nodes.removedAt)));
}

describe("the rotation wizard's steps", () => {
  it("are taken in order, each idempotent, and end with only the new CA trusted", async () => {
    await createCluster(handle.db, admin, key, { name: "ledger" });
    for (const host of ["db1", "db2", "db3"])
      await addNode(handle.db, admin, keyRing, "ledger", { hostname: `${host}.ledger.internal`, role: "other" });
    await issueClientBundle(handle.db, admin, keyRing, "ledger", { databaseUser: "app" });
    const s = steps("ledger");

    await expect(publishRotationCa(s)).rejects.toThrow(/no CA rotation in progress; start one with step 1/);
    await expect(createRotationCa(s, { keyAlgorithm: "dsa" })).rejects.toThrow(/keyAlgorithm: must be one of ecdsa-p256/);
    const created = await createRotationCa(s, { keyAlgorithm: "ecdsa-p384" });
    expect(created.changed).toBe(true);
    expect(await createRotationCa(s)).toEqual({ rotationId: created.rotationId, changed: false });
    // Pending: not trusted yet, and the old CA still signs.
    expect(countPem((await getTrustBundle(handle.db, admin, "ledger")).pem, "CERTIFICATE")).toBe(1);
    let status = await getRotationStatus(handle.db, admin, "ledger");
    expect(status).toMatchObject({ step: "publish", oldCa: { state: "active" }, newCa: { state: "pending", keyAlgorithm: "ecdsa-p384" } });
    await expect(startRotationReissue(s)).rejects.toThrow(/step 2 \(publish\) of the CA rotation comes first/);

    expect((await publishRotationCa(s)).changed).toBe(true);
    expect((await publishRotationCa(s)).changed).toBe(false);
    expect(countPem((await getTrustBundle(handle.db, admin, "ledger")).pem, "CERTIFICATE")).toBe(2);
    expect(countPem((await getTrustedCrlsPem(handle.db, admin, "ledger")).pem, "X509 CRL")).toBe(2);
    const clusterId = status.cluster.id;
    expect((await loadClusterIssuer(handle.db, clusterId, keyRing.all)).caId).toBe(status.oldCa!.id);
    await expect(retireOldCa(s)).rejects.toThrow(/step 3 \(reissue\) of the CA rotation comes first/);

    expect((await startRotationReissue(s)).changed).toBe(true);
    expect((await startRotationReissue(s)).changed).toBe(false);
    status = await getRotationStatus(handle.db, admin, "ledger");
    expect(status).toMatchObject({
      step: "reissuing",
      oldCa: { state: "retiring" },
      newCa: { state: "active" },
      rotation: { reissueTotal: 3, reissueDone: 0 },
    });
    await expect(retireOldCa(s)).rejects.toThrow(/step 3 \(reissuing\)/);
    expect(await continueRotation(handle.db, keyRing, created.rotationId)).toEqual({ reissued: 3, failed: [] });

    const active = await activeServerCertificates("ledger");
    expect(active).toHaveLength(3);
    for (const certificate of active) {
      expect(certificate.issuerCaId).toBe(status.newCa!.id);
      expect(certificate.replaces).not.toBeNull(); // lineage kept
      expect(certificate.hasKey).toMatch(/^ctls1\./);
    }
    status = await getRotationStatus(handle.db, admin, "ledger");
    expect(status).toMatchObject({
      step: "retire",
      rotation: { reissueTotal: 3, reissueDone: 3 },
      dependents: { total: 1, sample: [{ kind: "client", commonName: "app" }] },
    });

    // The client certificate (its key was never stored) would break silently: the admin must confirm.
    await expect(retireOldCa(s)).rejects.toThrow(
      /1 active certificate\(s\) still depend on the old CA \(client app\); confirm to revoke them/,
    );
    expect(await retireOldCa(s, { confirm: true })).toMatchObject({ changed: true, result: { revokedDependents: 1 } });
    expect(await retireOldCa(s, { confirm: true })).toMatchObject({ changed: false });
    const trust = (await getTrustBundle(handle.db, admin, "ledger")).pem;
    expect(countPem(trust, "CERTIFICATE")).toBe(1);
    expect(countPem((await getTrustedCrlsPem(handle.db, admin, "ledger")).pem, "X509 CRL")).toBe(1);
    status = await getRotationStatus(handle.db, admin, "ledger");
    expect(status.step).toBe("create");
    expect(status.lastFinished?.retiredAt).toBeInstanceOf(Date);
    const audit = await handle.db
      .select({ action: schema.auditEvents.action })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.clusterId, clusterId));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "ca_rotation.create",
        "ca_rotation.publish",
        "ca_rotation.reissue",
        "ca_rotation.reissued",
        "ca_rotation.retire",
      ]),
    );
  });

  it("can be cancelled before step 3, leaving the old CA signing and alone in root.crt", async () => {
    await createCluster(handle.db, admin, key, { name: "audit-log" });
    const s = steps("audit-log");
    await createRotationCa(s);
    await publishRotationCa(s);
    await cancelRotation(s);
    expect(countPem((await getTrustBundle(handle.db, admin, "audit-log")).pem, "CERTIFICATE")).toBe(1);
    expect((await getRotationStatus(handle.db, admin, "audit-log")).step).toBe("create");
    // A new rotation may start afresh; cancelling after step 3 began is refused.
    await createRotationCa(s);
    await publishRotationCa(s);
    await startRotationReissue(s);
    await expect(cancelRotation(s)).rejects.toThrow(/already signs server certificates; finish the rotation/);
  });
});

describe("step 3 killed half-way", () => {
  it("resumes where it stopped: every node ends with exactly one active certificate, under the new CA", async () => {
    const NODES = 120;
    await createCluster(handle.db, admin, key, { name: "fleet" });
    for (let i = 0; i < NODES; i++)
      await addNode(handle.db, admin, keyRing, "fleet", { hostname: `db${String(i).padStart(3, "0")}.fleet.internal`, role: "other" });
    const s = steps("fleet");
    await createRotationCa(s);
    await publishRotationCa(s);
    await startRotationReissue(s);
    const { newCa } = await getRotationStatus(handle.db, admin, "fleet");
    const underNewCa = async () => (await activeServerCertificates("fleet")).filter((c) => c.issuerCaId === newCa!.id).length;

    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        "--conditions=react-server",
        path.join(root, "tests", "support", "rotation-job-child.ts"),
        appUrl,
        keyBase64,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    const deadline = Date.now() + 60_000;
    while ((await underNewCa()) < 10) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the rotation child did not get going: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // tsx runs the script in a child of its own: kill the whole process group, as a crash would.
    process.kill(-child.pid!, "SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const done = await underNewCa();
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(NODES); // really half-way
    // Consistent after the crash: one active certificate per node, each with its key, none finished early.
    const afterCrash = await activeServerCertificates("fleet");
    expect(afterCrash).toHaveLength(NODES);
    expect(new Set(afterCrash.map((c) => c.nodeId)).size).toBe(NODES);
    expect(afterCrash.every((c) => c.hasKey)).toBe(true);
    expect((await getRotationStatus(handle.db, admin, "fleet")).step).toBe("reissuing");

    // The dead process's "running" row does not hold the job back (its pid is gone on this host).
    // SIGKILL is asynchronous: wait until the worker (tsx's grandchild) is really dead, as after a restart.
    const [running] = await handle.db
      .select({ instance: schema.jobRuns.instance })
      .from(schema.jobRuns)
      .where(eq(schema.jobRuns.outcome, "running"));
    const stat = `/proc/${running!.instance.split(":")[1]}/stat`;
    const alive = () => {
      try {
        return !/\) Z /.test(fs.readFileSync(stat, "utf8"));
      } catch {
        return false; // gone
      }
    };
    while (alive()) await new Promise((resolve) => setTimeout(resolve, 20));
    const resumed = await runJob(handle.db, keyRing, caRotationJob);
    expect(resumed, JSON.stringify(resumed)).toMatchObject({ outcome: "succeeded", summary: { rotations: 1, failed: [] } });
    expect((resumed.summary as { reissued: number }).reissued).toBe(NODES - done);
    const final = await activeServerCertificates("fleet");
    expect(final).toHaveLength(NODES);
    expect(final.every((c) => c.issuerCaId === newCa!.id && c.replaces !== null)).toBe(true);
    expect(await getRotationStatus(handle.db, admin, "fleet")).toMatchObject({
      step: "retire",
      rotation: { reissueTotal: NODES, reissueDone: NODES },
      dependents: { total: 0 },
    });
    // Nothing left: the job skips without a record.
    expect(await runJob(handle.db, keyRing, caRotationJob)).toMatchObject({ outcome: "skipped", reason: "nothing to do" });
  }, 180_000);
});

describe("a PostgreSQL node through every step", () => {
  let node: PostgresServer;
  const clients: Record<"old" | "stale" | "fresh", string> = { old: "", stale: "", fresh: "" };

  afterAll(async () => {
    await node?.stop();
  });

  function psql(bundle: string) {
    const conninfo = `host=localhost hostaddr=127.0.0.1 port=${node.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${bundle}/root.crt sslcert=${bundle}/client.crt sslkey=${bundle}/client.key`;
    const result = spawnSync(
      "psql",
      ["-X", "-A", "-t", "-w", conninfo, "-c", "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
      { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "5" } },
    );
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
  }

  /** What an operator does after steps 2 and 4: fetch root.crt and root.crl, install them, reload. */
  async function installTrust() {
    node.writeFile("root.crt", (await getTrustBundle(handle.db, admin, "payments")).pem, { mode: 0o644 });
    node.writeFile("root.crl", (await getTrustedCrlsPem(handle.db, admin, "payments")).pem, { mode: 0o644 });
    await node.reload();
  }

  async function installServerBundle(nodeId: string, name: string) {
    const bundle = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, nodeId)).zip, dir, name);
    for (const file of ["server.crt", "root.crt", "root.crl"])
      node.writeFile(file, fs.readFileSync(path.join(bundle, file), "utf8"), { mode: 0o644 });
    node.writeFile("server.key", fs.readFileSync(path.join(bundle, "server.key"), "utf8"), { mode: 0o600 });
    await node.reload();
    return bundle;
  }

  const clientBundle = async (name: keyof typeof clients) =>
    (clients[name] = unpackBundle(
      (await issueClientBundle(handle.db, admin, keyRing, "payments", { databaseUser: "app" })).zip,
      dir,
      `client-${name}`,
    ));

  it("keeps clients connecting; only old-CA certificates stop once the old CA is retired", async () => {
    await createCluster(handle.db, admin, key, { name: "payments", sharedDnsNames: ["localhost"] });
    const { node: db1 } = await addNode(handle.db, admin, keyRing, "payments", {
      hostname: "db1.payments.internal",
      role: "primary",
      ipAddresses: ["127.0.0.1"],
    });
    const first = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, db1.id)).zip, dir, "server-1");
    const hba = hbaLinesFrom(first);
    node = await startPostgres({ tls: serverTlsFrom(first), hba: ["local all all trust", ...hba], users: ["app"] });
    await clientBundle("old");
    await clientBundle("stale"); // a client that will skip step 2
    const s = steps("payments");
    expect(psql(clients.old)).toEqual({ ok: true, output: "/CN=app" });

    await createRotationCa(s);
    expect(psql(clients.old)).toEqual({ ok: true, output: "/CN=app" });

    await publishRotationCa(s);
    await installTrust();
    fs.writeFileSync(path.join(clients.old, "root.crt"), (await getTrustBundle(handle.db, admin, "payments")).pem);
    expect(psql(clients.old)).toEqual({ ok: true, output: "/CN=app" });
    expect(psql(clients.stale)).toEqual({ ok: true, output: "/CN=app" });

    await startRotationReissue(s);
    await continueRotation(handle.db, keyRing, (await getRotationStatus(handle.db, admin, "payments")).rotation!.id);
    const second = await installServerBundle(db1.id, "server-2");
    expect(countPem(fs.readFileSync(path.join(second, "root.crl"), "utf8"), "X509 CRL")).toBe(2);
    expect(psql(clients.old)).toEqual({ ok: true, output: "/CN=app" }); // old-CA certificate, root.crt = old + new
    await clientBundle("fresh");
    expect(psql(clients.fresh)).toEqual({ ok: true, output: "/CN=app" }); // new-CA certificate
    // Why step 2 matters: a client that never got the new root.crt cannot verify the new server certificate.
    const stale = psql(clients.stale);
    expect(stale.ok).toBe(false);
    expect(stale.output).toMatch(/certificate verify failed/);

    await retireOldCa(s, { confirm: true });
    await installTrust();
    const old = psql(clients.old);
    expect(old.ok).toBe(false);
    expect(old.output).toMatch(/certificate verify failed|unknown ca|tlsv1 alert/i);
    expect(psql(clients.fresh)).toEqual({ ok: true, output: "/CN=app" });
  }, 120_000);
});
