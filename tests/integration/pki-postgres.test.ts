import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createIntermediateCa, createRootCa, issueClientCertificate, issueServerCertificate, type KeyAlgorithm } from "@/lib/pki";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const servers: PostgresServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function clientFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-client-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), contents, { mode: 0o600 }); // libpq refuses a readable key
  return dir;
}

function psql(conninfo: string, sql = "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()") {
  const result = spawnSync("psql", ["-X", "-A", "-t", conninfo, "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
}

describe.each<KeyAlgorithm>(["ecdsa-p256", "rsa-2048", "ed25519"])(
  "PostgreSQL 15 and libpq accept what lib/pki issues (%s)",
  (algorithm) => {
    it("verify-full by DNS name and by IP SAN, certificate login mapped from the CN; a wrong name fails", async () => {
      const root = await createRootCa({ subject: { CN: `orders-prod Root CA (${algorithm})` }, keyAlgorithm: algorithm, days: 3650 });
      const server = await issueServerCertificate({
        issuer: root,
        days: 397,
        dnsNames: ["localhost"],
        ipAddresses: ["127.0.0.1"],
        key: { generate: algorithm },
      });
      const client = await issueClientCertificate({ issuer: root, days: 365, databaseUser: "app_rw", key: { generate: algorithm } });
      const pg = await startPostgres({
        tls: { cert: server.certificatePem, key: server.privateKeyPem!, ca: root.certificatePem },
        hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert", "hostssl all all ::1/128 cert"],
        users: ["app_rw"],
      });
      servers.push(pg);
      const dir = clientFiles({
        "root.crt": root.certificatePem,
        "client.crt": client.certificatePem,
        "client.key": client.privateKeyPem!,
      });
      const tls = `port=${pg.port} dbname=postgres user=app_rw sslrootcert=${dir}/root.crt sslcert=${dir}/client.crt sslkey=${dir}/client.key`;

      expect(psql(`host=localhost sslmode=verify-full ${tls}`)).toEqual({ status: 0, out: "t|/CN=app_rw" });
      expect(psql(`host=127.0.0.1 sslmode=verify-full ${tls}`)).toEqual({ status: 0, out: "t|/CN=app_rw" });

      // A name the certificate does not hold: verify-full refuses, verify-ca (no name check) connects.
      const mismatch = psql(
        `host=127.0.0.1 hostaddr=127.0.0.1 sslmode=verify-full ${tls.replace(`port=${pg.port}`, `port=${pg.port} host=db9.example.internal`)}`,
      );
      expect(mismatch.status).not.toBe(0);
      expect(mismatch.out).toMatch(
        /server certificate for "localhost" \(and \d+ other names?\) does not match host name "db9\.example\.internal"/,
      );
      expect(psql(`host=db9.example.internal hostaddr=127.0.0.1 sslmode=verify-ca ${tls}`).status).toBe(0);
    });
  },
);

describe("an intermediate CA", () => {
  it("the server presents leaf + intermediate, clients trust only the root, verify-full passes", async () => {
    const root = await createRootCa({ subject: { CN: "Chain Root" }, days: 3650, pathLen: 1 });
    const intermediate = await createIntermediateCa({ issuer: root, subject: { CN: "Chain Issuing CA" }, days: 1825 });
    const server = await issueServerCertificate({
      issuer: intermediate,
      days: 90,
      dnsNames: ["localhost"],
      key: { generate: "ecdsa-p256" },
    });
    const client = await issueClientCertificate({
      issuer: intermediate,
      days: 90,
      databaseUser: "reporting",
      key: { generate: "ecdsa-p256" },
    });
    const pg = await startPostgres({
      // PostgreSQL sends ssl_cert_file as the chain; it verifies clients against ssl_ca_file (root + intermediate).
      tls: {
        cert: server.certificatePem + intermediate.certificatePem,
        key: server.privateKeyPem!,
        ca: root.certificatePem + intermediate.certificatePem,
      },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["reporting"],
    });
    servers.push(pg);
    const dir = clientFiles({
      "root.crt": root.certificatePem,
      "client.crt": client.certificatePem + intermediate.certificatePem,
      "client.key": client.privateKeyPem!,
    });
    const result = psql(
      `host=localhost port=${pg.port} dbname=postgres user=reporting sslmode=verify-full sslrootcert=${dir}/root.crt sslcert=${dir}/client.crt sslkey=${dir}/client.key`,
    );
    expect(result).toEqual({ status: 0, out: "t|/CN=reporting" });
  });
});

describe("CA rotation overlap", () => {
  it("with root.crt = old + new, old-CA and new-CA clients both connect; once the old CA is retired, old-CA clients are refused; a name-constrained new root works at verify-full and libpq refuses a leaf outside its constraints", async () => {
    const oldRoot = await createRootCa({ subject: { CN: "orders-prod Root CA" }, days: 3650 });
    // The new CA, as a cluster with permitted names makes it: pathLen 0 and a critical nameConstraints.
    const newRoot = await createRootCa({ subject: { CN: "orders-prod Root CA 2" }, days: 3650, pathLen: 0, permittedNames: ["localhost"] });
    const trustBoth = oldRoot.certificatePem + newRoot.certificatePem;
    const leaf = (issuer: typeof oldRoot) =>
      issueServerCertificate({ issuer, days: 397, dnsNames: ["localhost"], key: { generate: "ecdsa-p256" } });
    const oldServer = await leaf(oldRoot);
    const pg = await startPostgres({
      tls: { cert: oldServer.certificatePem, key: oldServer.privateKeyPem!, ca: trustBoth },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    servers.push(pg);
    const clientOf = async (issuer: typeof oldRoot) => {
      const issued = await issueClientCertificate({ issuer, days: 365, databaseUser: "app", key: { generate: "ecdsa-p256" } });
      // During the overlap every client's root.crt carries both CAs (what cluster-tls's root.crt serves).
      return clientFiles({ "root.crt": trustBoth, "client.crt": issued.certificatePem, "client.key": issued.privateKeyPem! });
    };
    const [oldClient, newClient] = [await clientOf(oldRoot), await clientOf(newRoot)];
    const login = (dir: string) =>
      psql(
        `host=localhost port=${pg.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${dir}/root.crt sslcert=${dir}/client.crt sslkey=${dir}/client.key`,
        "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      );
    expect(login(oldClient)).toEqual({ status: 0, out: "/CN=app" });
    expect(login(newClient)).toEqual({ status: 0, out: "/CN=app" });

    // Step 3: the server is re-issued under the new CA; both clients still trust it.
    const newServer = await leaf(newRoot);
    pg.writeFile("server.crt", newServer.certificatePem, { mode: 0o644 });
    pg.writeFile("server.key", newServer.privateKeyPem!);
    await pg.reload();
    expect(login(oldClient)).toEqual({ status: 0, out: "/CN=app" });
    expect(login(newClient)).toEqual({ status: 0, out: "/CN=app" });

    // Step 4: the old CA is retired (no longer in ssl_ca_file): its client certificates are refused.
    pg.writeFile("root.crt", newRoot.certificatePem, { mode: 0o644 });
    await pg.reload();
    const refused = login(oldClient);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/certificate verify failed|unknown ca/i);
    expect(login(newClient)).toEqual({ status: 0, out: "/CN=app" });

    // A leaf the constrained root's key signed outside its names (OpenSSL, bypassing our checks, as
    // a stolen key would): libpq refuses the chain although the host name itself matches.
    const ws = new OpensslWorkspace();
    try {
      ws.write("ca.pem", newRoot.certificatePem);
      ws.write("ca.key", newRoot.privateKeyPem);
      ws.write(
        "ext.cnf",
        "subjectAltName=DNS:localhost,DNS:db.elsewhere.example\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n",
      );
      expect(
        ws.run(
          "req",
          "-new",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          "out.key",
          "-out",
          "out.csr",
          "-subj",
          "/CN=localhost",
        ).status,
      ).toBe(0);
      expect(
        ws.run(
          "x509",
          "-req",
          "-in",
          "out.csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-set_serial",
          "7",
          "-days",
          "30",
          "-sha256",
          "-extfile",
          "ext.cnf",
          "-out",
          "out.pem",
        ).status,
      ).toBe(0);
      expect(ws.run("verify", "-CAfile", "ca.pem", "out.pem").out).toMatch(/permitted subtree violation/); // the only fault in it
      pg.writeFile("server.crt", fs.readFileSync(path.join(ws.dir, "out.pem"), "utf8"), { mode: 0o644 });
      pg.writeFile("server.key", fs.readFileSync(path.join(ws.dir, "out.key"), "utf8"));
      await pg.reload();
      const outside = login(newClient);
      expect(outside.status).not.toBe(0);
      expect(outside.out).toMatch(/certificate verify failed/i);
    } finally {
      ws.remove();
    }
  });
});
