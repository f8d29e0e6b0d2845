import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { completeCaRequest, getCaRequest, updateExternalCrl } from "@/lib/services/clusters/external-ca";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { makeExternalRoot, type ExternalRoot } from "@/tests/support/external-root";
import { unpackBundle } from "@/tests/support/unpack-bundle";

/**
 * External CAs, with the openssl CLI as the organisation's CA: (1) a root imported with its key,
 * (2) an intermediate made here whose CSR the external root signs, proven against a real
 * PostgreSQL 15 with libpq at verify-full and certificate login — including why the external
 * root's CRL is required in root.crl.
 */
let dir: string;
let handle: DatabaseHandle;
let corp: ExternalRoot;
let pg: PostgresServer | undefined;
const key = parseMasterKey(Buffer.alloc(32, 6).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

function openssl(args: string[], cwd = dir): string {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}
const read = (file: string, cwd = dir) => fs.readFileSync(path.join(cwd, file), "utf8");

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-external-ca-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  corp = makeExternalRoot();
});
afterAll(async () => {
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  corp.dispose();
});

describe("a cluster under an imported root CA", () => {
  it("refuses a key that is not the certificate's, a non-CA certificate and a legacy key format, naming the field", async () => {
    openssl([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "other.key",
      "-out",
      "other.pem",
      "-days",
      "30",
      "-subj",
      "/CN=Other Root",
    ]);
    openssl([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "leaf.key",
      "-out",
      "leaf.pem",
      "-days",
      "30",
      "-subj",
      "/CN=not-a-ca",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ]);
    openssl(["ec", "-in", "other.key", "-out", "other-sec1.key"]);
    const create = (caCertificatePem: string, caPrivateKeyPem: string) =>
      createCluster(handle.db, admin, key, { name: "refused", ca: "import", caCertificatePem, caPrivateKeyPem });
    await expect(create(corp.certificatePem, read("other.key"))).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { caPrivateKeyPem: [expect.stringContaining("does not belong")] },
    });
    await expect(create(read("leaf.pem"), read("leaf.key"))).rejects.toMatchObject({
      fieldErrors: { caCertificatePem: [expect.stringContaining("not a CA certificate")] },
    });
    await expect(create(read("other.pem"), read("other-sec1.key"))).rejects.toMatchObject({
      fieldErrors: { caPrivateKeyPem: [expect.stringContaining("openssl pkcs8 -topk8")] },
    });
    await expect(create("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", read("other.key"))).rejects.toMatchObject({
      fieldErrors: { caCertificatePem: [expect.any(String)] },
    });
    expect(await handle.db.select().from(schema.clusters)).toHaveLength(0);
  });

  it("signs with the imported root: root.crt is that root, CRL numbers continue from the present, leaves verify with openssl", async () => {
    const before = Math.floor(Date.now() / 1000);
    const cluster = await createCluster(handle.db, admin, key, {
      name: "imported",
      ca: "import",
      caCertificatePem: read("other.pem"),
      caPrivateKeyPem: read("other.key"),
    });
    expect(cluster.caCertificatePem).toBe(read("other.pem").trim() + "\n");
    const [ca] = await handle.db
      .select()
      .from(schema.certificateAuthorities)
      .where(eq(schema.certificateAuthorities.clusterId, cluster.id));
    expect(ca).toMatchObject({ kind: "root", origin: "imported", state: "active" });
    expect(Number(ca!.nextCrlNumber)).toBeGreaterThan(before);
    expect((await getTrustBundle(handle.db, admin, "imported")).pem).toBe(cluster.caCertificatePem);
    const { certificate } = await addNode(handle.db, admin, keyRing, "imported", { hostname: "db1.imported.internal", role: "primary" });
    fs.writeFileSync(path.join(dir, "imported-leaf.pem"), certificate.certificatePem);
    expect(openssl(["verify", "-CAfile", "other.pem", "imported-leaf.pem"]).trim()).toBe("imported-leaf.pem: OK");
  });
});

describe("a cluster whose intermediate CA an external root signs from our CSR", () => {
  let csrPem = "";

  it("waits for the signed certificate and issues nothing until then", async () => {
    const cluster = await createCluster(handle.db, admin, key, { name: "corp", ca: "csr", sharedDnsNames: ["localhost"] });
    expect(cluster.caCertificatePem).toBeNull();
    csrPem = cluster.caCsrPem!;
    expect((await getCaRequest(handle.db, admin, "corp"))?.csrPem).toBe(csrPem);
    fs.writeFileSync(path.join(dir, "request.csr"), csrPem);
    expect(openssl(["req", "-in", "request.csr", "-noout", "-verify", "-text"])).toMatch(
      /CA:TRUE, pathlen:0[\s\S]*Certificate Sign, CRL Sign/,
    );
    await expect(addNode(handle.db, admin, keyRing, "corp", { hostname: "db1.corp.internal", role: "primary" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("waiting for its intermediate CA"),
    });
  });

  it("refuses a certificate for another key, a missing chain and a missing or foreign CRL", async () => {
    const otherCsr = (await createCsr({ subject: { CN: "someone else" }, ca: true })).csrPem;
    const corpCrl = corp.crlPem();
    const signed = corp.signIntermediate(csrPem);
    fs.writeFileSync(path.join(dir, "intermediate.pem"), signed);
    await expect(
      completeCaRequest(handle.db, admin, keyRing, "corp", {
        certificatePem: corp.signIntermediate(otherCsr),
        chainPem: corp.certificatePem,
        crlPem: corpCrl,
      }),
    ).rejects.toMatchObject({ fieldErrors: { certificatePem: ["Not for this cluster's CSR"] } });
    await expect(completeCaRequest(handle.db, admin, keyRing, "corp", { certificatePem: signed })).rejects.toMatchObject({
      fieldErrors: { chainPem: [expect.stringContaining("self-signed root")] },
    });
    await expect(
      completeCaRequest(handle.db, admin, keyRing, "corp", { certificatePem: signed, chainPem: corp.certificatePem }),
    ).rejects.toMatchObject({ fieldErrors: { crlPem: [expect.stringContaining("OpenSSL Reference CA")] } });
    const foreign = makeExternalRoot();
    await expect(
      completeCaRequest(handle.db, admin, keyRing, "corp", {
        certificatePem: signed,
        chainPem: corp.certificatePem,
        crlPem: foreign.crlPem(),
      }),
    ).rejects.toMatchObject({ fieldErrors: { crlPem: [expect.stringContaining("no CRL signed by")] } });
    foreign.dispose();
    expect(await getCaRequest(handle.db, admin, "corp")).not.toBeNull();
  });

  it("becomes the cluster's CA: server.crt carries the intermediate, root.crt the external root, root.crl both CRLs", async () => {
    const completed = await completeCaRequest(handle.db, admin, keyRing, "corp", {
      certificatePem: read("intermediate.pem"),
      chainPem: corp.certificatePem,
      crlPem: corp.crlPem(),
    });
    expect(completed.issuer).toContain("OpenSSL Reference CA");
    expect(await getCaRequest(handle.db, admin, "corp")).toBeNull();
    await expect(completeCaRequest(handle.db, admin, keyRing, "corp", { certificatePem: read("intermediate.pem") })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    const { node } = await addNode(handle.db, admin, keyRing, "corp", {
      hostname: "db1.corp.internal",
      role: "primary",
      ipAddresses: ["127.0.0.1"],
    });
    const server = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, node.id)).zip, dir, "corp-server");
    expect(read("root.crt", server)).toBe(corp.certificatePem.trim() + "\n");
    expect(read("server.crt", server).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(read("root.crl", server).match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect(
      openssl(
        ["verify", "-CAfile", "root.crt", "-untrusted", "server.crt", "-crl_check_all", "-CRLfile", "root.crl", "server.crt"],
        server,
      ).trim(),
    ).toBe("server.crt: OK");

    pg = await startPostgres({
      tls: {
        cert: read("server.crt", server),
        key: read("server.key", server),
        ca: read("root.crt", server),
        crl: read("root.crl", server),
      },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    const client = unpackBundle(
      (await issueClientBundle(handle.db, admin, keyRing, "corp", { databaseUser: "app", days: 10 })).zip,
      dir,
      "corp-client",
    );
    const connect = () =>
      spawnSync(
        "psql",
        [
          "-X",
          "-A",
          "-t",
          `host=localhost hostaddr=127.0.0.1 port=${pg!.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${client}/root.crt sslcert=${client}/client.crt sslkey=${client}/client.key`,
          "-c",
          "SELECT current_user",
        ],
        {
          encoding: "utf8",
          env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
        },
      );
    expect(connect()).toMatchObject({ status: 0, stdout: "app\n" });

    // Why the external root's CRL is required: without it PostgreSQL refuses every client certificate.
    const ownCrlOnly = read("root.crl", server).split(/(?<=-----END X509 CRL-----\n)/)[0]!;
    pg.writeFile("root.crl", ownCrlOnly, { mode: 0o644 });
    await pg.reload();
    expect(connect()).toMatchObject({ status: 2, stderr: expect.stringContaining("SSL error: tlsv1 alert unknown ca") });
    expect(pg.logs()).toContain("could not accept SSL connection: certificate verify failed");
    pg.writeFile("root.crl", read("root.crl", server), { mode: 0o644 });
    await pg.reload();
    expect(connect()).toMatchObject({ status: 0 });
  });

  it("takes a fresh external CRL and refuses one the root did not sign", async () => {
    const fresh = corp.crlPem();
    const { nextUpdate } = await updateExternalCrl(handle.db, admin, "corp", fresh);
    expect(nextUpdate!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await expect(updateExternalCrl(handle.db, admin, "corp", read("other.pem"))).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/^crlPem: /),
    });
    await expect(updateExternalCrl(handle.db, admin, "imported", fresh)).rejects.toMatchObject({ code: "CONFLICT" });
    const audit = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "ca.external_crl_update"));
    expect(audit).toHaveLength(1);
  });
});
