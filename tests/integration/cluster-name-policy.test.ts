import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { createCsr, decodeCertificate, formatSubtree, parseCertificate, parseCsr, readNameConstraints } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { createRotationCa } from "@/lib/services/rotation/rotation-steps";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

let handle: DatabaseHandle;
let dir: string;
const key = parseMasterKey(Buffer.alloc(32, 5).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const ws = new OpensslWorkspace();
const DAY = 86_400_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-name-policy-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  ws.remove();
});

const constraintsOf = (pem: string) => readNameConstraints(decodeCertificate(pem));
const nodeNamed = async (hostname: string) => (await handle.db.select().from(schema.nodes).where(eq(schema.nodes.hostname, hostname)))[0];

describe("shared names and wildcards", () => {
  it("refuses a shared name no certificate may carry (*.com), on the field, instead of failing every node add later", async () => {
    await createCluster(handle.db, admin, key, { name: "shared" });
    await expect(
      updateClusterSettings(handle.db, admin, "shared", { sharedDnsNames: "pg-rw.shared.internal, *.com" }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { sharedDnsNames: [expect.stringContaining('"*.com" is not a valid DNS name')] },
    });
    await expect(createCluster(handle.db, admin, key, { name: "shared-2", sharedDnsNames: ["*.com"] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { sharedDnsNames: expect.any(Array) },
    });
    await expect(addNode(handle.db, admin, keyRing, "shared", { hostname: "db1.shared.internal", role: "primary" })).resolves.toBeTruthy();
  });

  it("refuses wildcard names unless the cluster allows them, and never as a host name", async () => {
    await createCluster(handle.db, admin, key, { name: "wild" });
    await expect(addNode(handle.db, admin, keyRing, "wild", { hostname: "*.db.example", role: "primary" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { hostname: [expect.stringContaining("A host name cannot be a wildcard")] },
    });
    await expect(
      addNode(handle.db, admin, keyRing, "wild", { hostname: "db1.db.example", role: "primary", dnsNames: ["*.ro.db.example"] }),
    ).rejects.toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: expect.stringContaining("*.ro.db.example: wildcard names are not allowed in this cluster"),
    });
    expect(await nodeNamed("db1.db.example")).toBeUndefined();
    await expect(updateClusterSettings(handle.db, admin, "wild", { sharedDnsNames: "*.rw.db.example" })).rejects.toMatchObject({
      fieldErrors: { sharedDnsNames: [expect.stringContaining('need "Allow wildcard names"')] },
    });

    await updateClusterSettings(handle.db, admin, "wild", { allowWildcardNames: "on", sharedDnsNames: "*.rw.db.example" });
    const { certificate } = await addNode(handle.db, admin, keyRing, "wild", {
      hostname: "db1.db.example",
      role: "primary",
      dnsNames: ["*.ro.db.example"],
    });
    expect(certificate.dnsNames).toEqual(["db1.db.example", "*.ro.db.example", "*.rw.db.example"]);
    // Turning wildcards off again while a node carries one would fail its renewals.
    await expect(updateClusterSettings(handle.db, admin, "wild", { allowWildcardNames: false })).rejects.toMatchObject({
      fieldErrors: { allowWildcardNames: ["nodes db1.db.example have wildcard names: remove them from the nodes first"] },
    });
  });
});

describe("revocation reasons", () => {
  it("does not accept certificateHold, which could never be released", async () => {
    await createCluster(handle.db, admin, key, { name: "hold" });
    const { certificate } = await addNode(handle.db, admin, keyRing, "hold", { hostname: "db1.hold.internal", role: "primary" });
    await expect(revokeCertificate(handle.db, admin, keyRing, certificate.serialHex, "certificateHold")).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.not.stringContaining("certificateHold"),
    });
    await expect(revokeCertificate(handle.db, admin, keyRing, certificate.serialHex, "keyCompromise")).resolves.toMatchObject({
      status: "revoked",
    });
  });
});

describe("server certificate lifetime", () => {
  it("accepts at most 398 days in settings, at creation and for a CSR, and clamps a cluster saved with more before the cap", async () => {
    await expect(createCluster(handle.db, admin, key, { name: "long", serverCertDays: 825 })).rejects.toMatchObject({
      fieldErrors: { serverCertDays: ["Server certificate lifetime: at most 398 days"] },
    });
    const cluster = await createCluster(handle.db, admin, key, { name: "long", serverCertDays: 398 });
    await expect(updateClusterSettings(handle.db, admin, "long", { serverCertDays: 399 })).rejects.toMatchObject({
      fieldErrors: { serverCertDays: expect.any(Array) },
    });

    // Saved by an earlier version, when 825 was accepted: issuance clamps instead of failing renewals.
    await handle.db.update(schema.clusters).set({ serverCertDays: 825 }).where(eq(schema.clusters.id, cluster.id));
    const { node, certificate } = await addNode(handle.db, admin, keyRing, "long", { hostname: "db1.long.internal", role: "primary" });
    expect(certificate.notAfter.getTime() - certificate.notBefore.getTime()).toBeLessThanOrEqual(398 * DAY);
    const { csrPem } = await createCsr({ subject: { CN: "db1.long.internal" }, dnsNames: ["db1.long.internal"] });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, node.id, { csrPem, days: 399 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "days: this cluster issues server certificates for at most 398 days",
      fieldErrors: { days: ["At most 398"] },
    });
    const signed = await reissueNodeCertificate(handle.db, admin, keyRing, node.id, { csrPem });
    expect(signed.certificate.notAfter.getTime() - signed.certificate.notBefore.getTime()).toBe(398 * DAY - 1000);
  });
});

describe("generated CAs: pathLen 0 and permitted names", () => {
  it("a generated root has pathLen 0 and the permitted names as its critical nameConstraints; issuance outside them is refused", async () => {
    const plain = await createCluster(handle.db, admin, key, { name: "plain" });
    expect((await parseCertificate(plain.caCertificatePem!)).pathLen).toBe(0);
    expect(constraintsOf(plain.caCertificatePem!)).toBeNull();

    const cluster = await createCluster(handle.db, admin, key, {
      name: "fenced",
      permittedNames: "Orders.Internal, 10.20.0.0/16",
      sharedDnsNames: "pg-rw.orders.internal",
    });
    expect((await parseCertificate(cluster.caCertificatePem!)).pathLen).toBe(0);
    expect(constraintsOf(cluster.caCertificatePem!)?.permitted.map(formatSubtree)).toEqual(["orders.internal", "10.20.0.0/16"]);
    expect(ws.text(cluster.caCertificatePem!)).toContain("X509v3 Name Constraints: critical");

    await expect(
      addNode(handle.db, admin, keyRing, "fenced", { hostname: "db1.orders.internal", role: "primary", ipAddresses: ["10.20.1.5"] }),
    ).resolves.toBeTruthy();
    await expect(
      addNode(handle.db, admin, keyRing, "fenced", { hostname: "db2.payments.internal", role: "replica" }),
    ).rejects.toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: "db2.payments.internal is outside the cluster's permitted names (permitted: orders.internal, 10.20.0.0/16)",
    });
    await expect(
      addNode(handle.db, admin, keyRing, "fenced", { hostname: "db3.orders.internal", role: "replica", ipAddresses: ["192.0.2.1"] }),
    ).rejects.toMatchObject({ code: "NAME_NOT_PERMITTED" });
    expect(await nodeNamed("db2.payments.internal")).toBeUndefined();
  });

  it("refuses settings that would refuse every certificate: shared names outside the permitted names, or no DNS suffix", async () => {
    await expect(
      createCluster(handle.db, admin, key, {
        name: "fenced-2",
        permittedNames: ["orders.internal"],
        sharedDnsNames: ["pg-rw.payments.internal"],
      }),
    ).rejects.toMatchObject({
      fieldErrors: { sharedDnsNames: ["pg-rw.payments.internal: outside the permitted names"] },
    });
    await expect(createCluster(handle.db, admin, key, { name: "fenced-2", permittedNames: ["10.0.0.0/8"] })).rejects.toMatchObject({
      fieldErrors: { permittedNames: [expect.stringContaining("at least one DNS suffix")] },
    });
    await expect(createCluster(handle.db, admin, key, { name: "fenced-2", permittedNames: ["10.0.0.1/8"] })).rejects.toMatchObject({
      fieldErrors: { permittedNames: ['"10.0.0.1/8" has host bits set; the range is 10.0.0.0/8'] },
    });
  });

  it("permitted names set after creation bind issuance at once (not a live node's names), and the next CA of a rotation carries them", async () => {
    await createCluster(handle.db, admin, key, { name: "later" });
    const { node } = await addNode(handle.db, admin, keyRing, "later", {
      hostname: "db1.orders.internal",
      role: "primary",
      ipAddresses: ["10.0.0.5"],
    });
    // Narrowing the list past a live node would make its renewals fail: refused, naming the node.
    await expect(updateClusterSettings(handle.db, admin, "later", { permittedNames: ["payments.internal"] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: {
        permittedNames: [
          "db1.orders.internal (node db1.orders.internal), 10.0.0.5 (node db1.orders.internal) are outside these names: widen the list or remove the nodes first",
        ],
      },
    });
    await updateClusterSettings(handle.db, admin, "later", { permittedNames: ["orders.internal", "10.0.0.0/24"] });
    await expect(addNode(handle.db, admin, keyRing, "later", { hostname: "db2.payments.internal", role: "replica" })).rejects.toMatchObject(
      { code: "NAME_NOT_PERMITTED" },
    );
    await expect(addNode(handle.db, admin, keyRing, "later", { hostname: "db2.orders.internal", role: "replica" })).resolves.toBeTruthy();
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, node.id)).resolves.toBeTruthy();

    const { rotationId } = await createRotationCa({ db: handle.db, actor: admin, keyRing, clusterRef: "later" });
    const [rotation] = await handle.db.select().from(schema.caRotations).where(eq(schema.caRotations.id, rotationId));
    const [newCa] = await handle.db
      .select({ pem: schema.certificates.certificatePem })
      .from(schema.certificateAuthorities)
      .innerJoin(schema.certificates, eq(schema.certificates.id, schema.certificateAuthorities.certificateId))
      .where(eq(schema.certificateAuthorities.id, rotation!.newCaId));
    expect((await parseCertificate(newCa!.pem)).pathLen).toBe(0);
    expect(constraintsOf(newCa!.pem)?.permitted.map(formatSubtree)).toEqual(["orders.internal", "10.0.0.0/24"]);
  });

  it("an intermediate's CSR for an external root asks for the permitted names", async () => {
    const { caCsrPem } = await createCluster(handle.db, admin, key, { name: "via-csr", ca: "csr", permittedNames: ["orders.internal"] });
    expect(await parseCsr(caCsrPem!)).toBeTruthy();
    expect(ws.run("req", "-in", ws.write("via.csr", caCsrPem!), "-noout", "-text").out).toMatch(
      /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:orders\.internal/,
    );
  });
});
