// The client-side proof: one PostgreSQL 15 configured from a cluster-tls server bundle, and
// every client the bundles promise to serve — libpq/psql, node-postgres, psycopg2, pgJDBC — at
// sslmode=verify-full, plus each way a login must fail (wrong name, foreign CA, revoked, expired,
// wrong CN, no certificate, no TLS) and a CRL re-signed under a running server.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { pgHbaConf } from "@/lib/bundles/server-snippets";
import { derToPem, issueClientCertificate } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { DAY_MS } from "@/lib/format/days";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { hasJdbc, jdbcQuery, nodePgQuery } from "@/tests/support/drivers";
import { hbaLinesFrom, serverTlsFrom, unpackBundle } from "@/tests/support/unpack-bundle";

let dir: string;
let handle: DatabaseHandle;
let server: PostgresServer;
const key = parseMasterKey(Buffer.alloc(32, 2).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const bundles: Record<"app" | "reporting" | "foreign", string> = { app: "", reporting: "", foreign: "" };
const WHO = "SELECT current_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-clients-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "orders-prod", sharedDnsNames: ["localhost"] });
  await createCluster(handle.db, admin, key, { name: "billing-prod" });
  const { node } = await addNode(handle.db, admin, keyRing, "orders-prod", {
    hostname: "db1.orders.internal",
    role: "primary",
    ipAddresses: ["127.0.0.1"],
  });
  const serverBundle = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, node.id)).zip, dir, "server");
  const hba = hbaLinesFrom(serverBundle);
  server = await startPostgres({ tls: serverTlsFrom(serverBundle), hba: ["local all all trust", ...hba], users: ["app", "reporting"] });
  const client = async (cluster: string, databaseUser: string, name: keyof typeof bundles) =>
    (bundles[name] = unpackBundle(
      (await issueClientBundle(handle.db, admin, keyRing, cluster, { databaseUser, p12Password: "jdbc-secret" })).zip,
      dir,
      name,
    ));
  await client("orders-prod", "app", "app");
  await client("orders-prod", "reporting", "reporting");
  await client("billing-prod", "app", "foreign");
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Login = { host?: string; user?: string; bundle?: string; sslmode?: string; withCert?: boolean; password?: string };

/** psql (libpq) with a client bundle's files; returns what it printed, or the error. */
function psql({ host = "localhost", user = "app", bundle = bundles.app, sslmode = "verify-full", withCert = true, password }: Login) {
  const cert = withCert ? ` sslcert=${bundle}/client.crt sslkey=${bundle}/client.key` : " sslcert=/nonexistent sslkey=/nonexistent";
  const conninfo = `host=${host} hostaddr=127.0.0.1 port=${server.port} dbname=postgres user=${user} sslmode=${sslmode} sslrootcert=${bundle}/root.crt${cert}`;
  const result = spawnSync(
    "psql",
    [
      "-X",
      "-A",
      "-t",
      "-w",
      conninfo,
      "-c",
      "SELECT current_user || ' ' || coalesce(client_dn, '-') FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ],
    {
      encoding: "utf8",
      env: { ...process.env, PGCONNECT_TIMEOUT: "5", ...(password ? { PGPASSWORD: password } : {}) },
    },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("libpq (psql) against PostgreSQL configured from the bundle", () => {
  it("connects at verify-full by name and by IP SAN; the certificate CN is the login", () => {
    expect(psql({})).toEqual({ ok: true, output: "app /CN=app" });
    expect(psql({ host: "db1.orders.internal" })).toEqual({ ok: true, output: "app /CN=app" });
    expect(psql({ host: "127.0.0.1" })).toEqual({ ok: true, output: "app /CN=app" });
  });

  it("a name the certificate does not hold fails verify-full with libpq's hostname error; verify-ca still connects", () => {
    const mismatch = psql({ host: "db9.orders.internal" });
    expect(mismatch.ok).toBe(false);
    expect(mismatch.output).toMatch(
      /server certificate for "db1\.orders\.internal" \(and \d+ other names?\) does not match host name "db9\.orders\.internal"/,
    );
    expect(psql({ host: "db9.orders.internal", sslmode: "verify-ca" })).toEqual({ ok: true, output: "app /CN=app" });
  });

  it("a client certificate from another cluster's CA is rejected by the server", () => {
    // The foreign bundle's root.crt would not trust this server either: give it this cluster's.
    fs.copyFileSync(path.join(bundles.app, "root.crt"), path.join(bundles.foreign, "root.crt"));
    const foreign = psql({ bundle: bundles.foreign });
    expect(foreign.ok).toBe(false);
    expect(foreign.output).toMatch(/certificate verify failed|unknown ca|tlsv1 alert/i);
  });

  it("cert: a certificate whose CN is not the requested role is refused", () => {
    const wrong = psql({ user: "reporting" });
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toMatch(/certificate authentication failed for user "reporting"/);
  });

  it("hostnossl connections are rejected", () => {
    const plain = psql({ sslmode: "disable" });
    expect(plain.ok).toBe(false);
    expect(plain.output).toMatch(/no encryption/);
  });

  it("an expired client certificate (issued on a clock 40 days back, for 10 days) is refused", async () => {
    const cluster = await loadClusterIssuer(handle.db, await clusterId("orders-prod"), keyRing.all);
    const expired = await issueClientCertificate({
      issuer: cluster.issuer,
      days: 10,
      databaseUser: "app",
      key: { generate: "ecdsa-p256" },
      now: new Date(Date.now() - 40 * DAY_MS),
    });
    const expiredDir = path.join(dir, "expired");
    fs.mkdirSync(expiredDir, { mode: 0o755 });
    fs.copyFileSync(path.join(bundles.app, "root.crt"), path.join(expiredDir, "root.crt"));
    fs.writeFileSync(path.join(expiredDir, "client.crt"), expired.certificatePem);
    fs.writeFileSync(path.join(expiredDir, "client.key"), expired.privateKeyPem!, { mode: 0o600 });
    const result = psql({ bundle: expiredDir });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/certificate expired/);
  });
});

async function clusterId(name: string) {
  const { getClusterOrThrow } = await import("@/lib/services/clusters/get-cluster");
  return (await getClusterOrThrow(handle.db, admin, name)).id;
}

describe("other drivers with the same client bundle at verify-full", () => {
  it("node-postgres with ssl: { ca, cert, key } (a fresh object per client)", async () => {
    expect(
      await nodePgQuery({
        host: "localhost",
        port: server.port,
        user: "app",
        bundleDir: bundles.app,
        sql: "SELECT current_user AS who, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      }),
    ).toEqual([{ who: "app", client_dn: "/CN=app" }]);
    // A name the certificate does not hold is refused by node-postgres too.
    await expect(
      nodePgQuery({
        host: "127.0.0.1",
        servername: "db9.orders.internal",
        port: server.port,
        user: "app",
        bundleDir: bundles.app,
        sql: "SELECT 1",
      }),
    ).rejects.toThrow(/Hostname\/IP does not match certificate's altnames/);
  });

  it("psycopg2 (Debian's /usr/bin/python3)", () => {
    const script = `import psycopg2, sys
c = psycopg2.connect(host="localhost", port=${server.port}, dbname="postgres", user="app", sslmode="verify-full", sslrootcert=sys.argv[1] + "/root.crt", sslcert=sys.argv[1] + "/client.crt", sslkey=sys.argv[1] + "/client.key")
cur = c.cursor(); cur.execute("SELECT current_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"); print("%s %s" % cur.fetchone())`;
    const result = spawnSync("/usr/bin/python3", ["-c", script, bundles.app], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("app /CN=app");
  });

  it.skipIf(!hasJdbc())(
    "pgJDBC with sslkey=client.pk8, and with the password-protected client.p12",
    () => {
      const base = `jdbc:postgresql://localhost:${server.port}/postgres?user=app&sslmode=verify-full&sslrootcert=${bundles.app}/root.crt`;
      for (const url of [
        `${base}&sslcert=${bundles.app}/client.crt&sslkey=${bundles.app}/client.pk8`,
        `${base}&sslkey=${bundles.app}/client.p12&sslpassword=jdbc-secret`,
      ]) {
        expect(jdbcQuery(url, WHO), url).toBe("app /CN=app");
      }
    },
    60_000,
  );
});

describe("revocation and CRL refresh under a running server", () => {
  it("a re-signed CRL with a later nextUpdate keeps logins working across reload", async () => {
    const before = await getCurrentCrl(handle.db, admin, "orders-prod");
    const { caId } = await loadClusterIssuer(handle.db, await clusterId("orders-prod"), keyRing.all);
    await handle.db.transaction((tx) => regenerateCrl(tx, caId, keyRing.all));
    const after = await getCurrentCrl(handle.db, admin, "orders-prod");
    expect(after.crlNumber).toBe(before.crlNumber + 1n);
    expect(after.nextUpdate.getTime()).toBeGreaterThan(before.nextUpdate.getTime());
    server.writeFile("root.crl", derToPem(after.der, "X509 CRL"), { mode: 0o644 });
    await server.reload();
    expect(psql({})).toEqual({ ok: true, output: "app /CN=app" });
  });

  it("revoking one client certificate refuses it after the CRL is installed; another client still connects", async () => {
    const serial = spawnSync("openssl", ["x509", "-in", path.join(bundles.reporting, "client.crt"), "-noout", "-serial"], {
      encoding: "utf8",
    })
      .stdout.trim()
      .replace("serial=", "");
    await revokeCertificate(handle.db, admin, keyRing, serial, "keyCompromise");
    server.writeFile("root.crl", derToPem((await getCurrentCrl(handle.db, admin, "orders-prod")).der, "X509 CRL"), { mode: 0o644 });
    await server.reload();
    const refused = psql({ user: "reporting", bundle: bundles.reporting });
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/certificate revoked/);
    expect(psql({})).toEqual({ ok: true, output: "app /CN=app" });
  });
});

describe("pg_hba authentication modes from the bundle's snippet", () => {
  it("scram-sha-256 + clientcert=verify-full: password and certificate connect; the password alone is refused", async () => {
    server.psql("ALTER ROLE app PASSWORD 'app-password'");
    const hba = pgHbaConf({ replicationUser: "replicator", hbaAuthMode: "scram-cert", withPgbouncer: false })
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    server.writeHba(["local all all trust", ...hba]);
    await server.reload();
    expect(psql({ password: "app-password" })).toEqual({ ok: true, output: "app /CN=app" });
    const noCert = psql({ password: "app-password", withCert: false });
    expect(noCert.ok).toBe(false);
    expect(noCert.output).toMatch(/certificate|connection requires a valid client certificate/i);
    const wrongPassword = psql({ password: "nope" });
    expect(wrongPassword.ok).toBe(false);
    expect(wrongPassword.output).toMatch(/password authentication failed/);
  });
});
