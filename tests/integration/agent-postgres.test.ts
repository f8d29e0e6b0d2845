import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { buildAgentBundle, editConfig, runAgent, startAgent } from "@/tests/support/agent-cli";
import { startRouteServer } from "@/tests/support/route-server";
import { serverTlsFrom, unpackBundle } from "@/tests/support/unpack-bundle";

/**
 * The bundled agent (dist/cluster-tls.mjs, run as on Node 18) against a real PostgreSQL 15 and
 * the API's route handlers: enroll, revocation, a certificate that must not be installed, a
 * reload that does not take, renewal, a CRL refresh, an unreachable server. One PostgreSQL for
 * the whole file; each case builds on the one before.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-agent-pg-"));
fs.chmodSync(dir, 0o755);
process.env.CLUSTER_TLS_DATA_DIR = path.join(dir, "app");
delete process.env.DATABASE_URL;

const cli: Actor = { type: "cli", label: "test" };
const configFile = path.join(dir, "etc", "agent.json");
let pg: PostgresServer;
let api: Awaited<ReturnType<typeof startRouteServer>>;
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
let nodeId = "";
const clients: Record<string, string> = {};

const db = () => runtime.database.db;
const schemaOf = async () => (await import("@/lib/db")).schema;
async function activeCertificate() {
  const schema = await schemaOf();
  const [row] = await db()
    .select()
    .from(schema.certificates)
    .where(and(eq(schema.certificates.nodeId, nodeId), eq(schema.certificates.kind, "server"), eq(schema.certificates.status, "active")));
  return row!;
}
async function agentRow() {
  const schema = await schemaOf();
  return (await db().select().from(schema.nodeAgents).where(eq(schema.nodeAgents.nodeId, nodeId)))[0]!;
}
const postmasterPid = () => fs.readFileSync(path.join(pg.dataDir, "postmaster.pid"), "utf8").split("\n")[0];
async function served() {
  const { fetchServedCertificate } = await import("@/lib/probe/fetch-served-certificate");
  const { parseCertificate } = await import("@/lib/pki");
  const result = await fetchServedCertificate("127.0.0.1", pg.port);
  if (!result.ok) throw new Error(result.detail);
  return (await parseCertificate(result.der)).serialHex;
}

/** psql at verify-full with a client bundle (async: the agent may be talking to this process meanwhile). */
function connect(user: string): Promise<{ ok: boolean; output: string }> {
  const c = clients[user]!;
  const conninfo = `host=localhost hostaddr=127.0.0.1 port=${pg.port} dbname=postgres user=${user} sslmode=verify-full sslrootcert=${c}/root.crt sslcert=${c}/client.crt sslkey=${c}/client.key`;
  return new Promise((resolve) =>
    execFile(
      "psql",
      ["-X", "-A", "-t", conninfo, "-c", "SELECT current_user"],
      { env: { ...process.env, PGCONNECT_TIMEOUT: "5" }, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ ok: !error && stdout.trim() === user, output: `${stdout}${stderr}` }),
    ),
  );
}

beforeAll(async () => {
  buildAgentBundle();
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  runtime = await getRuntime();
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { issueServerBundle } = await import("@/lib/services/nodes/issue-server-bundle");
  const { issueClientBundle } = await import("@/lib/services/certificates/issue-client-bundle");
  // A 1-day CRL: always less than 24 h from its nextUpdate, so an unreachable server warns (proof 8).
  await createCluster(db(), cli, runtime.keyRing.current, { name: "agent-prod", crlDays: 1 });
  nodeId = (await addNode(db(), cli, runtime.keyRing, "agent-prod", { hostname: "localhost", role: "primary", ipAddresses: ["127.0.0.1"] }))
    .node.id;
  // The node as install.sh left it: the server bundle (with the key cluster-tls made) installed.
  const bundle = unpackBundle((await issueServerBundle(db(), cli, runtime.keyRing, nodeId)).zip, dir, "server");
  pg = await startPostgres({
    tls: serverTlsFrom(bundle),
    hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
    users: ["app", "reporting"],
  });
  for (const user of ["app", "reporting"])
    clients[user] = unpackBundle(
      (await issueClientBundle(db(), cli, runtime.keyRing, "agent-prod", { databaseUser: user, days: 30 })).zip,
      dir,
      `client-${user}`,
    );
  api = await startRouteServer();
  // A subscriber for the agent events: its deliveries stay queued (no scheduler here) to be counted.
  const { createWebhook } = await import("@/lib/services/webhooks/manage-webhooks");
  await createWebhook(db(), cli, runtime.keyRing.current, "agent-prod", {
    url: "https://hooks.example.com/agents",
    events: ["agent.install_failed", "agent.stale"],
  });
}, 180_000);

async function installFailedEvents() {
  const schema = await schemaOf();
  const rows = await db()
    .select({ payload: schema.webhookDeliveries.payload })
    .from(schema.webhookDeliveries)
    .where(eq(schema.webhookDeliveries.event, "agent.install_failed"));
  return rows.map((row) => row.payload as { data: { hostname: string; error: string; issuedSerial: string; servedSerial: string } });
}

afterAll(async () => {
  await pg?.stop();
  await api?.close();
  await (await import("@/lib/db")).closeDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the bundled agent on a real PostgreSQL 15", () => {
  it("1. enrolls: the key is made on the node, psql verify-full works, the status shows served = issued", async () => {
    const before = await activeCertificate();
    expect(before.encryptedPrivateKey).not.toBeNull(); // the install.sh era: cluster-tls held the key
    const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
    const { code } = await createEnrollmentCode(db(), cli, nodeId);
    const logFile = path.join(pg.socketDir, "server.log");
    const enrolled = await runAgent([
      "enroll",
      "--server",
      api.url,
      "--code",
      code,
      "--config",
      configFile,
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
      logFile,
      "--interval",
      "1",
      "--prove-timeout",
      "5",
    ]);
    expect(enrolled, enrolled.output).toMatchObject({ code: 0 });
    const issued = await activeCertificate();
    expect(issued).toMatchObject({ fromCsr: true, encryptedPrivateKey: null });
    expect(issued.serialHex).not.toBe(before.serialHex);
    expect(await served()).toBe(issued.serialHex);
    // The key on the node is the certificate's, and no key of this node is stored any more.
    const { exportPublicKeySpki, importPrivateKey, parseCertificate } = await import("@/lib/pki");
    const liveKey = fs.readFileSync(path.join(pg.dataDir, "server.key"), "utf8");
    expect(Buffer.from(await exportPublicKeySpki((await importPrivateKey(liveKey)).publicKey))).toEqual(
      Buffer.from((await parseCertificate(issued.certificatePem)).publicKeySpki),
    );
    expect(fs.statSync(path.join(pg.dataDir, "server.key")).mode & 0o777).toBe(0o600);
    const schema = await schemaOf();
    expect(
      (await db().select().from(schema.certificates).where(eq(schema.certificates.nodeId, nodeId))).map((c) => c.encryptedPrivateKey),
    ).toEqual([null, null]);
    expect(await connect("app")).toMatchObject({ ok: true });
    const agent = await agentRow();
    expect(agent.firstConfirmedAt).not.toBeNull();
    expect(agent.lastStatus).toMatchObject({
      installedSerial: issued.serialHex,
      servedSerial: issued.serialHex,
      issuedSerial: issued.serialHex,
      lastInstall: { ok: true },
    });
    const status = await runAgent(["status", "--config", configFile]);
    expect(status.output).toMatch(new RegExp(`served +${issued.serialHex}`));
    expect(status.output).toMatch(/last proven +\d{4}-/);
  });

  it("2. a revoked client is refused within one poll (CRL replaced, PostgreSQL reloaded, same postmaster); another is accepted", async () => {
    const pid = postmasterPid();
    const agent = startAgent(["--config", configFile, "--interval", "1"]);
    try {
      const { revokeCertificate } = await import("@/lib/services/certificates/revoke-certificate");
      const { parseCertificate } = await import("@/lib/pki");
      const serial = (await parseCertificate(fs.readFileSync(path.join(clients.app!, "client.crt"), "utf8"))).serialHex;
      expect(await connect("app")).toMatchObject({ ok: true });
      const started = Date.now();
      await revokeCertificate(db(), cli, runtime.keyRing, serial, "keyCompromise");
      let refused: { ok: boolean; output: string } = { ok: true, output: "" };
      while (Date.now() - started < 30_000) {
        refused = await connect("app");
        if (!refused.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const elapsed = Date.now() - started;
      console.log(`[agent] revocation to refusal on the node: ${elapsed} ms (poll interval 1 s)`);
      expect(refused.ok, agent.output()).toBe(false);
      // Only the CRL changed, in one install. The time is one poll (1 s ± 20 %) plus the install,
      // reload and proof: 3–6 s measured here on 2 busy cores, 12 s with a build running beside it.
      const logged = Date.now() + 5_000;
      while (Date.now() < logged && !/installed crl;/.test(agent.output())) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(agent.output()).toMatch(/info installed crl; the server serves/);
      expect(elapsed).toBeLessThan(20_000);
      expect(refused.output).toMatch(/certificate revoked|sslv3 alert/i);
      expect(await connect("reporting")).toMatchObject({ ok: true });
      expect(postmasterPid()).toBe(pid);
    } finally {
      await agent.stop();
    }
  });

  it("5. a certificate whose key is not on the node is not installed: old files still served, failure reported", async () => {
    const before = await served();
    const liveBefore = fs.readFileSync(path.join(pg.dataDir, "server.crt"), "utf8");
    const { createCsr } = await import("@/lib/pki");
    const { reissueNodeCertificate } = await import("@/lib/services/nodes/reissue-node-certificate");
    // An admin's "Sign CSR" with a key made elsewhere: the node has no key for it.
    const foreign = await reissueNodeCertificate(db(), cli, runtime.keyRing, nodeId, { csrPem: (await createCsr({})).csrPem });
    const once = await runAgent(["once", "--config", configFile]);
    expect(once.code, once.output).toBe(1);
    expect(once.output).toMatch(/nothing installed: the private key does not match certificate/);
    expect(fs.readFileSync(path.join(pg.dataDir, "server.crt"), "utf8")).toBe(liveBefore);
    expect(fs.readdirSync(pg.dataDir).filter((f) => f.endsWith(".cluster-tls-new"))).toEqual([]);
    expect(await served()).toBe(before);
    expect((await agentRow()).lastStatus).toMatchObject({
      servedSerial: before,
      issuedSerial: foreign.certificate.serialHex,
      lastInstall: { ok: false, error: expect.stringMatching(/does not match/) },
    });
  });

  it("5. a chain that does not verify (the node's own key, but signed by another CA) is not installed: old files still served, failure reported", async () => {
    const before = await served();
    const live = Object.fromEntries(
      ["server.crt", "server.key", "root.crt", "root.crl"].map((f) => [f, fs.readFileSync(path.join(pg.dataDir, f), "utf8")]),
    );
    const original = await activeCertificate();
    // A CA this cluster never had signs a certificate for the key on the node and all its names:
    // only the chain is wrong, so the check that refuses it must be the chain check.
    const foreign = fs.mkdtempSync(path.join(dir, "foreign-ca-"));
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: foreign, stdio: "pipe" });
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-subj",
      "/CN=Foreign Root",
      "-days",
      "30",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    openssl("req", "-new", "-key", path.join(pg.dataDir, "server.key"), "-subj", "/CN=localhost", "-out", "leaf.csr");
    fs.writeFileSync(
      path.join(foreign, "leaf.ext"),
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    );
    openssl(
      "x509",
      "-req",
      "-in",
      "leaf.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "30",
      "-sha256",
      "-extfile",
      "leaf.ext",
      "-out",
      "leaf.crt",
    );
    const { parseCertificate } = await import("@/lib/pki");
    const leafPem = fs.readFileSync(path.join(foreign, "leaf.crt"), "utf8");
    const leafSerial = (await parseCertificate(leafPem)).serialHex;
    // The server hands it out as the node's active certificate (what a tampered row would do).
    const schema = await schemaOf();
    await db()
      .update(schema.certificates)
      .set({ certificatePem: leafPem, serialHex: leafSerial })
      .where(eq(schema.certificates.id, original.id));
    try {
      const once = await runAgent(["once", "--config", configFile]);
      expect(once.code, once.output).toBe(1);
      expect(once.output).toMatch(new RegExp(`nothing installed: certificate ${leafSerial} does not verify to the new root.crt`));
      for (const [file, text] of Object.entries(live)) expect(fs.readFileSync(path.join(pg.dataDir, file), "utf8"), file).toBe(text);
      expect(fs.readdirSync(pg.dataDir).filter((f) => f.endsWith(".cluster-tls-new"))).toEqual([]);
      expect(await served()).toBe(before);
      expect(await connect("reporting")).toMatchObject({ ok: true });
      expect((await agentRow()).lastStatus).toMatchObject({
        servedSerial: before,
        issuedSerial: leafSerial,
        lastInstall: { ok: false, error: expect.stringMatching(/does not verify to the new root\.crt/) },
      });
    } finally {
      await db()
        .update(schema.certificates)
        .set({ certificatePem: original.certificatePem, serialHex: original.serialHex })
        .where(eq(schema.certificates.id, original.id));
    }
  });

  it("6. a reload that does not take (key made group-readable): rolled back, the previous certificate still served, the reason reported", async () => {
    const before = await served();
    // Re-issue asks the agent for a new key (renewal requested); the reload command spoils it once.
    const { reissueNodeCertificate } = await import("@/lib/services/nodes/reissue-node-certificate");
    await reissueNodeCertificate(db(), cli, runtime.keyRing, nodeId);
    const marker = path.join(dir, "spoiled-once");
    const key = path.join(pg.dataDir, "server.key");
    const pgCtl = `runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D ${pg.dataDir} reload -s`;
    editConfig(configFile, {
      reload: `command:if [ ! -e ${marker} ]; then touch ${marker}; chmod 0644 ${key}; fi; ${pgCtl}`,
      proveTimeoutSeconds: 3,
    });
    const once = await runAgent(["once", "--config", configFile]);
    expect(once.code, once.output).toBe(1);
    expect(once.output).toMatch(/rolled back to the previous files/);
    expect(await served()).toBe(before);
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    expect(await connect("reporting")).toMatchObject({ ok: true });
    const status = (await agentRow()).lastStatus as {
      servedSerial: string;
      issuedSerial: string;
      lastInstall: { ok: boolean; error: string };
    };
    expect(status.servedSerial).toBe(before);
    expect(status.issuedSerial).not.toBe(before);
    expect(status.lastInstall).toMatchObject({
      ok: false,
      error: expect.stringMatching(/group or world access.*SSL configuration was not reloaded/),
    });

    // The node page's Agent card: failed, PostgreSQL's reason, issued ≠ served. One
    // agent.install_failed for this failure, however often the same report arrives.
    const { getNodeAgent } = await import("@/lib/services/agents/get-node-agent");
    const card = (await getNodeAgent(db(), cli, nodeId))!;
    expect(card).toMatchObject({
      verdict: "failed",
      issuedSerial: status.issuedSerial,
      lastStatus: { servedSerial: before, lastInstall: { ok: false } },
    });
    expect(card.lastStatus!.lastInstall!.error).toMatch(/private key file ".*server\.key" has group or world access/);
    const failures = (await installFailedEvents()).filter((event) => /group or world access/.test(event.data.error));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.data).toMatchObject({ hostname: "localhost", issuedSerial: status.issuedSerial, servedSerial: before });
    const { recordAgentStatus } = await import("@/lib/services/agents/record-agent-status");
    const agentActor: Actor = {
      type: "node",
      id: (await agentRow()).id,
      nodeId,
      clusterId: (await activeCertificate()).clusterId,
      label: "agent of localhost",
    };
    await recordAgentStatus(db(), agentActor, status);
    expect((await installFailedEvents()).filter((event) => /group or world access/.test(event.data.error))).toHaveLength(1);

    // The next poll (the reload works now) installs it: the new key's certificate is served.
    const again = await runAgent(["once", "--config", configFile]);
    expect(again.code, again.output).toBe(0);
    expect(await served()).toBe((await activeCertificate()).serialHex);
  });

  it("4. renewal: the renewal job asks for a new key, the agent installs it, served without a restart (reload by SELECT pg_reload_conf())", async () => {
    // The `sql` reload on the test server's own socket and port (psql's default would be 5432).
    editConfig(configFile, { reload: `sql:host=${pg.socketDir} port=${pg.port}` });
    const pid = postmasterPid();
    const before = await activeCertificate();
    const { renewServerCertificates } = await import("@/lib/jobs/renew-server-certificates");
    // The clock at the certificate's end: it is inside the renew-before window.
    const renewed = await renewServerCertificates({ db: db(), keyRing: runtime.keyRing, now: before.notAfter });
    expect(renewed).toMatchObject({ renewed: ["localhost"] });
    expect((await agentRow()).renewalRequestedAt).not.toBeNull();
    const once = await runAgent(["once", "--config", configFile]);
    expect(once.code, once.output).toBe(0);
    expect(once.output).toMatch(/asked for a new key/);
    const after = await activeCertificate();
    expect(after.serialHex).not.toBe(before.serialHex);
    expect(await served()).toBe(after.serialHex);
    expect((await agentRow()).renewalRequestedAt).toBeNull();
    const { parseCertificate } = await import("@/lib/pki");
    expect(Buffer.from((await parseCertificate(after.certificatePem)).publicKeySpki)).not.toEqual(
      Buffer.from((await parseCertificate(before.certificatePem)).publicKeySpki),
    );
    expect(postmasterPid()).toBe(pid);
    expect(await connect("reporting")).toMatchObject({ ok: true });
  });

  it("3. a CRL re-signed by the refresh job is installed long before the old one's nextUpdate; no client is refused meanwhile", async () => {
    const schema = await schemaOf();
    const { parseCrl, pemToDerAll } = await import("@/lib/pki");
    const numberOf = (pem: string) => pemToDerAll(pem, "X509 CRL").map((der) => parseCrl(der).crlNumber!)[0]!;
    const oldCrl = fs.readFileSync(path.join(pg.dataDir, "root.crl"), "utf8");
    const oldNextUpdate = parseCrl(pemToDerAll(oldCrl, "X509 CRL")[0]!).nextUpdate!;
    // The job re-signs a CRL past half its life. The clock is not moved: OpenSSL refuses a CRL
    // whose thisUpdate is in the future. The current CRL's row is dated back a day instead.
    await db()
      .update(schema.crls)
      .set({ thisUpdate: new Date(Date.now() - 86_400_000) });
    const agent = startAgent(["--config", configFile, "--interval", "1"]);
    const refusals: string[] = [];
    try {
      const { refreshCrls } = await import("@/lib/jobs/refresh-crls");
      expect(await refreshCrls({ db: db(), keyRing: runtime.keyRing, now: new Date() })).toMatchObject({ refreshed: 1 });
      const deadline = Date.now() + 20_000;
      let installed = oldCrl;
      while (Date.now() < deadline && numberOf(installed) === numberOf(oldCrl)) {
        const attempt = await connect("reporting");
        if (!attempt.ok) refusals.push(attempt.output);
        installed = fs.readFileSync(path.join(pg.dataDir, "root.crl"), "utf8");
      }
      expect(numberOf(installed)).toBeGreaterThan(numberOf(oldCrl));
      expect(Date.now()).toBeLessThan(oldNextUpdate.getTime());
      for (let i = 0; i < 5; i++) {
        const attempt = await connect("reporting");
        if (!attempt.ok) refusals.push(attempt.output);
      }
      expect(refusals, agent.output()).toEqual([]);
    } finally {
      await agent.stop();
    }
  });

  it("8. server unreachable: the installed files stay, the agent backs off and warns that the CRL will soon be stale", async () => {
    const files = ["server.crt", "server.key", "root.crt", "root.crl"].map((f) => fs.readFileSync(path.join(pg.dataDir, f), "utf8"));
    const port = api.port;
    await api.close();
    const agent = startAgent(["--config", configFile, "--interval", "1"]);
    try {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !/unreachable 2 time/.test(agent.output())) await new Promise((resolve) => setTimeout(resolve, 200));
      const output = agent.output();
      expect(output).toMatch(/error the installed CRL expires .* and the server cannot be reached to replace it/);
      const waits = [...output.matchAll(/unreachable (\d) time\(s\) in a row; next try in (\d+) s/g)].map((m) => Number(m[2]));
      expect(waits.length).toBeGreaterThanOrEqual(2);
      expect(waits[1]!).toBeGreaterThan(waits[0]!);
      expect(["server.crt", "server.key", "root.crt", "root.crl"].map((f) => fs.readFileSync(path.join(pg.dataDir, f), "utf8"))).toEqual(
        files,
      );
      expect(await connect("reporting")).toMatchObject({ ok: true });
    } finally {
      await agent.stop();
      api = await startRouteServer(port);
    }
  });
});
