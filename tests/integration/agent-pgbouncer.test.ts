import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { buildAgentBundle, editConfig, runAgent } from "@/tests/support/agent-cli";
import { freePort } from "@/tests/support/app-process";
import { startRouteServer } from "@/tests/support/route-server";
import { unpackBundle } from "@/tests/support/unpack-bundle";

/**
 * Proof 7: the bundled agent on a PgBouncer 1.18 host. PgBouncer refuses to run as root, so it
 * runs as postgres; the agent (root) writes its files as postgres and reloads it with SIGHUP.
 * PgBouncer has no CRL setting: root.crl is installed but only PostgreSQL would read one.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-agent-bouncer-"));
fs.chmodSync(dir, 0o755);
process.env.CLUSTER_TLS_DATA_DIR = path.join(dir, "app");
delete process.env.DATABASE_URL;
const canRun = process.getuid?.() === 0 && fs.existsSync("/usr/sbin/pgbouncer");

const cli: Actor = { type: "cli", label: "test" };
const etc = path.join(dir, "etc-pgbouncer");
let pg: PostgresServer | undefined;
let bouncer: ChildProcess | undefined;
let api: Awaited<ReturnType<typeof startRouteServer>> | undefined;
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
let port = 0;

afterAll(async () => {
  bouncer?.kill("SIGTERM");
  await pg?.stop();
  await api?.close();
  await (await import("@/lib/db")).closeDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function served(): Promise<string> {
  const { fetchServedCertificate } = await import("@/lib/probe/fetch-served-certificate");
  const { parseCertificate } = await import("@/lib/pki");
  const result = await fetchServedCertificate("127.0.0.1", port);
  if (!result.ok) throw new Error(result.detail);
  return (await parseCertificate(result.der)).serialHex;
}

describe.skipIf(!canRun)("7. the bundled agent on a PgBouncer 1.18 host", () => {
  let client = "";
  const psql = () =>
    spawnSync(
      "psql",
      [
        "-X",
        "-A",
        "-t",
        `host=pooler.bouncer.internal hostaddr=127.0.0.1 port=${port} dbname=app user=app sslmode=verify-full sslrootcert=${client}/root.crt sslcert=${client}/client.crt sslkey=${client}/client.key`,
        "-c",
        "SELECT current_user",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
      },
    );

  beforeAll(async () => {
    buildAgentBundle();
    const { getRuntime } = await import("@/lib/runtime/bootstrap");
    runtime = await getRuntime();
    const db = runtime.database.db;
    const { createCluster } = await import("@/lib/services/clusters/create-cluster");
    const { addNode } = await import("@/lib/services/nodes/add-node");
    const { issueClientBundle } = await import("@/lib/services/certificates/issue-client-bundle");
    const { getTrustBundle } = await import("@/lib/services/clusters/get-trust-bundle");
    const { getTrustedCrlsPem } = await import("@/lib/services/clusters/get-current-crl");
    const { decryptSecret } = await import("@/lib/secrets/envelope");
    const { schema } = await import("@/lib/db");
    await createCluster(db, cli, runtime.keyRing.current, { name: "bouncer-prod" });
    const { node } = await addNode(db, cli, runtime.keyRing, "bouncer-prod", {
      hostname: "pooler.bouncer.internal",
      role: "pgbouncer",
      ipAddresses: ["127.0.0.1"],
    });
    client = unpackBundle(
      (await issueClientBundle(db, cli, runtime.keyRing, "bouncer-prod", { databaseUser: "app", days: 30 })).zip,
      dir,
      "client",
    );
    pg = await startPostgres({ users: ["app"] });

    // PgBouncer as an operator set it up from the first bundle: TLS towards clients, cert login.
    const [certificate] = await db
      .select()
      .from(schema.certificates)
      .where(and(eq(schema.certificates.nodeId, node.id), eq(schema.certificates.status, "active")));
    fs.mkdirSync(etc, { mode: 0o755 });
    fs.writeFileSync(path.join(etc, "server.crt"), certificate!.certificatePem);
    fs.writeFileSync(path.join(etc, "server.key"), decryptSecret(certificate!.encryptedPrivateKey!, runtime.keyRing.all), { mode: 0o600 });
    fs.writeFileSync(path.join(etc, "root.crt"), (await getTrustBundle(db, cli, "bouncer-prod")).pem);
    fs.writeFileSync(path.join(etc, "root.crl"), (await getTrustedCrlsPem(db, cli, "bouncer-prod")).pem);
    fs.writeFileSync(path.join(etc, "userlist.txt"), '"app" ""\n"postgres" ""\n');
    fs.writeFileSync(path.join(etc, "pgbouncer_hba.conf"), "local pgbouncer postgres peer\nhostssl all all 127.0.0.1/32 cert\n");
    port = await freePort();
    fs.writeFileSync(
      path.join(etc, "pgbouncer.ini"),
      [
        "[databases]",
        `app = host=127.0.0.1 port=${pg.port} dbname=postgres`,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        `listen_port = ${port}`,
        // cert over TLS, as auth_type = cert would; and the admin console over the Unix socket
        // for the OS user postgres (peer), where the agent's `pgbouncer-admin` reload sends RELOAD.
        "auth_type = hba",
        `auth_hba_file = ${etc}/pgbouncer_hba.conf`,
        "admin_users = postgres",
        `auth_file = ${etc}/userlist.txt`,
        "client_tls_sslmode = verify-full",
        `client_tls_cert_file = ${etc}/server.crt`,
        `client_tls_key_file = ${etc}/server.key`,
        `client_tls_ca_file = ${etc}/root.crt`,
        `unix_socket_dir = ${etc}`,
        `logfile = ${etc}/pgbouncer.log`,
        `pidfile = ${etc}/pgbouncer.pid`,
        "",
      ].join("\n"),
    );
    spawnSync("chown", ["-R", "postgres:postgres", etc]);
    bouncer = spawn("runuser", ["-u", "postgres", "--", "/usr/sbin/pgbouncer", path.join(etc, "pgbouncer.ini")], { stdio: "ignore" });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !fs.existsSync(path.join(etc, "pgbouncer.pid")))
      await new Promise((resolve) => setTimeout(resolve, 200));
    api = await startRouteServer();
  }, 180_000);

  it("replaces PgBouncer's certificate and reloads it (SIGHUP, same process); clients connect at verify-full before and after", async () => {
    const before = psql();
    expect(before.stdout.trim(), before.stderr).toBe("app");
    const servedBefore = await served();
    const pid = fs.readFileSync(path.join(etc, "pgbouncer.pid"), "utf8").trim();
    const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
    const { getNodeAgent } = await import("@/lib/services/agents/get-node-agent");
    const { schema } = await import("@/lib/db");
    const [node] = await runtime.database.db.select().from(schema.nodes).where(eq(schema.nodes.hostname, "pooler.bouncer.internal"));
    const { code } = await createEnrollmentCode(runtime.database.db, cli, node!.id);
    const enrolled = await runAgent([
      "enroll",
      "--server",
      api!.url,
      "--code",
      code,
      "--config",
      path.join(dir, "agent", "agent.json"),
      "--data-dir",
      etc,
      "--owner",
      "postgres",
      "--service",
      "pgbouncer",
      "--verify-address",
      `127.0.0.1:${port}`,
      "--reload",
      "sighup",
      "--prove-timeout",
      "10",
    ]);
    expect(enrolled.code, enrolled.output).toBe(0);
    const servedAfter = await served();
    expect(servedAfter).not.toBe(servedBefore);
    expect((await getNodeAgent(runtime.database.db, cli, node!.id))?.lastStatus).toMatchObject({
      servedSerial: servedAfter,
      issuedSerial: servedAfter,
    });
    expect(fs.readFileSync(path.join(etc, "pgbouncer.pid"), "utf8").trim()).toBe(pid);
    const after = psql();
    expect(after.stdout.trim(), after.stderr).toBe("app");
  });

  it("reloads through PgBouncer's admin console (RELOAD, same process): a new key's certificate is served, clients connect before and after", async () => {
    const configFile = path.join(dir, "agent", "agent.json");
    editConfig(configFile, { reload: `pgbouncer-admin:host=${etc} port=${port}` });
    const pid = fs.readFileSync(path.join(etc, "pgbouncer.pid"), "utf8").trim();
    const servedBefore = await served();
    const { schema } = await import("@/lib/db");
    const [node] = await runtime.database.db.select().from(schema.nodes).where(eq(schema.nodes.hostname, "pooler.bouncer.internal"));
    // Re-issue asks the agent for a new key: it makes one, sends the CSR, installs and reloads.
    const { reissueNodeCertificate } = await import("@/lib/services/nodes/reissue-node-certificate");
    await reissueNodeCertificate(runtime.database.db, cli, runtime.keyRing, node!.id);
    const logBefore = fs.readFileSync(path.join(etc, "pgbouncer.log"), "utf8").length;
    const once = await runAgent(["once", "--config", configFile]);
    expect(once.code, once.output).toBe(0);
    const [active] = await runtime.database.db
      .select()
      .from(schema.certificates)
      .where(and(eq(schema.certificates.nodeId, node!.id), eq(schema.certificates.status, "active")));
    expect(await served()).toBe(active!.serialHex);
    expect(active!.serialHex).not.toBe(servedBefore);
    expect(fs.readFileSync(path.join(etc, "pgbouncer.log"), "utf8").slice(logBefore)).toMatch(/RELOAD command issued/);
    expect(fs.readFileSync(path.join(etc, "pgbouncer.pid"), "utf8").trim()).toBe(pid);
    const after = psql();
    expect(after.stdout.trim(), after.stderr).toBe("app");
  });
});
