import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { probeNode } from "@/lib/services/nodes/probe-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { unpackBundle } from "@/tests/support/unpack-bundle";

/**
 * A node that makes its own key: the CSR is made with the openssl CLI (as a node's tooling
 * would), signed through the service, installed with the node's key into a real PostgreSQL 15,
 * and libpq connects at verify-full. Renewal then re-signs the same key.
 */
let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
const key = parseMasterKey(Buffer.alloc(32, 5).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let nodeId = "";

function openssl(args: string[], input?: string): string {
  const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8", input });
  if (result.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A CSR from the openssl CLI for a new key in `name`.key; returns the CSR PEM. */
function makeCsr(
  name: string,
  { sans, keyArgs = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] }: { sans: string; keyArgs?: string[] },
): string {
  openssl([
    "req",
    "-new",
    ...keyArgs,
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    "/CN=localhost",
    "-addext",
    `subjectAltName=${sans}`,
  ]);
  return fs.readFileSync(path.join(dir, `${name}.csr`), "utf8");
}
const publicKeyOfCert = (pem: string) => openssl(["x509", "-noout", "-pubkey"], pem);
const publicKeyOfKey = (name: string) => openssl(["pkey", "-in", `${name}.key`, "-pubout"]);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-node-csr-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "csr-prod", sharedDnsNames: ["db.csr.internal"] });
  ({
    node: { id: nodeId },
  } = await addNode(handle.db, admin, keyRing, "csr-prod", { hostname: "localhost", role: "primary", ipAddresses: ["127.0.0.1"] }));
});
afterAll(async () => {
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const activeServerCertificates = () =>
  handle.db
    .select()
    .from(schema.certificates)
    .where(and(eq(schema.certificates.nodeId, nodeId), eq(schema.certificates.kind, "server"), eq(schema.certificates.status, "active")));

describe("a server certificate signed from the node's CSR", () => {
  it("refuses names the node may not hold, weak keys, bad PEM and too long a life, and writes nothing", async () => {
    const before = (await handle.db.select({ id: schema.certificates.id }).from(schema.certificates)).length;
    const foreign = makeCsr("foreign", { sans: "DNS:localhost,DNS:evil.example.com" });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: foreign })).rejects.toMatchObject({
      code: "CSR_NAME_NOT_ALLOWED",
      message: expect.stringContaining("evil.example.com"),
    });
    const foreignIp = makeCsr("foreign-ip", { sans: "DNS:localhost,IP:10.9.9.9" });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: foreignIp })).rejects.toMatchObject({
      code: "CSR_NAME_NOT_ALLOWED",
      message: expect.stringContaining("10.9.9.9"),
    });
    const weak = makeCsr("weak", { sans: "DNS:localhost", keyArgs: ["-newkey", "rsa:1024"] });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: weak })).rejects.toMatchObject({
      code: "KEY_TOO_WEAK",
    });
    await expect(
      reissueNodeCertificate(handle.db, admin, keyRing, nodeId, {
        csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----",
      }),
    ).rejects.toMatchObject({ name: "PkiError" });
    const good = makeCsr("node", { sans: "DNS:localhost,DNS:db.csr.internal,IP:127.0.0.1" });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: good, days: 1000 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/^days: /),
    });
    expect((await handle.db.select({ id: schema.certificates.id }).from(schema.certificates)).length).toBe(before);
  });

  it("is issued for the node's own key, stores no key, supersedes the previous one and is audited", async () => {
    const [previous] = await activeServerCertificates();
    const { certificate } = await reissueNodeCertificate(handle.db, admin, keyRing, nodeId, {
      csrPem: fs.readFileSync(path.join(dir, "node.csr"), "utf8"),
      days: 90,
    });
    expect(certificate).toMatchObject({
      fromCsr: true,
      encryptedPrivateKey: null,
      replacesCertificateId: previous!.id,
      dnsNames: ["localhost", "db.csr.internal"],
      ipAddresses: ["127.0.0.1"],
    });
    expect(Math.round((certificate.notAfter.getTime() - certificate.notBefore.getTime()) / 86_400_000)).toBeLessThanOrEqual(91);
    expect(publicKeyOfCert(certificate.certificatePem)).toBe(publicKeyOfKey("node"));
    const [old] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.id, previous!.id));
    expect(old!.status).toBe("superseded");
    const [audit] = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "node.sign_csr"));
    expect(audit!.details).toMatchObject({ serial: certificate.serialHex, previous: previous!.serialHex, key: "from CSR" });
  });

  it("is served by PostgreSQL with the node's key from a bundle without server.key, and libpq connects at verify-full", async () => {
    const bundleDir = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, nodeId)).zip, dir, "server");
    const files = fs.readdirSync(bundleDir);
    expect(files).not.toContain("server.key");
    expect(fs.readFileSync(path.join(bundleDir, "install.sh"), "utf8")).not.toContain("server.key");
    expect(fs.readFileSync(path.join(bundleDir, "README.md"), "utf8")).toContain("signed from the node's own CSR");
    const read = (name: string) => fs.readFileSync(path.join(bundleDir, name), "utf8");
    pg = await startPostgres({
      tls: {
        cert: read("server.crt"),
        key: fs.readFileSync(path.join(dir, "node.key"), "utf8"),
        ca: read("root.crt"),
        crl: read("root.crl"),
      },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    await handle.db.update(schema.nodes).set({ port: pg.port }).where(eq(schema.nodes.id, nodeId));
    const client = unpackBundle(
      (await issueClientBundle(handle.db, admin, keyRing, "csr-prod", { databaseUser: "app", days: 30 })).zip,
      dir,
      "client",
    );
    const connect = (host: string) =>
      spawnSync(
        "psql",
        [
          "-X",
          "-A",
          "-t",
          `host=${host} hostaddr=127.0.0.1 port=${pg!.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${client}/root.crt sslcert=${client}/client.crt sslkey=${client}/client.key`,
          "-c",
          "SELECT current_user",
        ],
        {
          encoding: "utf8",
          env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
        },
      );
    for (const host of ["localhost", "db.csr.internal"]) expect(connect(host)).toMatchObject({ status: 0, stdout: "app\n" });
    expect(await probeNode(handle.db, admin, nodeId)).toMatchObject({ status: "current" });
  });

  it("renews by re-signing the same key: the node installs only server.crt", async () => {
    const { certificate, previousSerial } = await reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { reason: "renewal" });
    expect(certificate).toMatchObject({ fromCsr: true, encryptedPrivateKey: null });
    expect(previousSerial).not.toBe(certificate.serialHex);
    expect(publicKeyOfCert(certificate.certificatePem)).toBe(publicKeyOfKey("node"));
    expect(await probeNode(handle.db, admin, nodeId)).toMatchObject({ status: "older" });
    pg!.writeFile("server.crt", certificate.certificatePem, { mode: 0o644 });
    await pg!.reload();
    expect(await probeNode(handle.db, admin, nodeId)).toMatchObject({ status: "current" });
    expect(await activeServerCertificates()).toHaveLength(1);
  });
});
