import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { buildChain, createIntermediateCa, createRootCa, issueClientCertificate, issueServerCertificate, parseCertificate, PkiError, verifyChain } from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

function opensslVerify(root: string, leaf: string, ...extra: string[]) {
  return ws.run("verify", "-x509_strict", ...extra, "-CAfile", ws.write(`root-${Math.random()}.pem`, root), ws.write(`leaf-${Math.random()}.pem`, leaf));
}

describe("chains", () => {
  it("verifyChain finds the right root when old and new roots share a subject (CA rotation)", async () => {
    const oldRoot = await createRootCa({ subject: { CN: "Orders Root" }, days: 3650 });
    const newRoot = await createRootCa({ subject: { CN: "Orders Root" }, days: 3650 });
    const oldLeaf = await issueServerCertificate({ issuer: oldRoot, days: 30, dnsNames: ["db.example"], key: { generate: "ecdsa-p256" } });
    const newLeaf = await issueServerCertificate({ issuer: newRoot, days: 30, dnsNames: ["db.example"], key: { generate: "ecdsa-p256" } });
    const bundle = oldRoot.certificatePem + newRoot.certificatePem; // root.crt during the rotation
    for (const leaf of [oldLeaf, newLeaf]) {
      await verifyChain({ leafPem: leaf.certificatePem, trustedRootsPem: [bundle] });
      expect(ws.run("verify", "-CAfile", ws.write("bundle.pem", bundle), ws.write("rot-leaf.pem", leaf.certificatePem)).out).toMatch(/: OK\s*$/);
    }
    await expect(verifyChain({ leafPem: newLeaf.certificatePem, trustedRootsPem: [oldRoot.certificatePem] })).rejects.toThrow(/signature on "db.example" does not verify/);

    // Two intermediates with one name: buildChain picks the one whose SKI is the leaf's AKI.
    const oldInt = await createIntermediateCa({ issuer: oldRoot, subject: { CN: "Orders Issuing" }, days: 100 });
    const newInt = await createIntermediateCa({ issuer: newRoot, subject: { CN: "Orders Issuing" }, days: 100 });
    const leaf = await issueClientCertificate({ issuer: newInt, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    expect(buildChain(leaf.certificatePem, [oldInt.certificatePem, newInt.certificatePem])).toEqual([leaf.certificatePem, newInt.certificatePem]);
    await verifyChain({ leafPem: leaf.certificatePem, intermediatesPem: [oldInt.certificatePem, newInt.certificatePem], trustedRootsPem: [bundle] });
  });

  it("enforces pathLen: no intermediate under a pathLen-0 root, and verifyChain rejects a chain that breaks it", async () => {
    const root = await createRootCa({ subject: { CN: "Leaf-only Root" }, days: 365, pathLen: 0 });
    const refused = await createIntermediateCa({ issuer: root, subject: { CN: "Not allowed" }, days: 30 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PkiError);
    expect((refused as PkiError).code).toBe("ISSUER_INVALID");
    expect((refused as PkiError).message).toContain('"Leaf-only Root" has pathLen 0');

    const deep = await createRootCa({ subject: { CN: "Deep Root" }, days: 365, pathLen: 1 });
    const first = await createIntermediateCa({ issuer: deep, subject: { CN: "First" }, days: 100, pathLen: 0 });
    await expect(createIntermediateCa({ issuer: first, subject: { CN: "Second" }, days: 50 })).rejects.toThrow(/pathLen 0/);
  });

  it("issues an intermediate under an external root OpenSSL made, and openssl verifies leaves below it", async () => {
    ws.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ext.key", "-out", "ext.pem", "-days", "30", "-subj", "/C=US/O=External Corp/CN=External Root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    const external = { certificatePem: fs.readFileSync(`${ws.dir}/ext.pem`, "utf8"), privateKeyPem: fs.readFileSync(`${ws.dir}/ext.key`, "utf8") };
    const intermediate = await createIntermediateCa({ issuer: external, subject: { CN: "Cluster CA", O: "Acme" }, days: 3650 });
    expect(intermediate.notAfter.getTime()).toBeLessThanOrEqual((await parseCertificate(external.certificatePem)).notAfter.getTime()); // clamped to the parent
    const leaf = await issueServerCertificate({ issuer: intermediate, days: 30, dnsNames: ["db.example"], key: { generate: "ecdsa-p256" } });
    const result = opensslVerify(external.certificatePem, leaf.certificatePem, "-untrusted", ws.write("ext-int.pem", intermediate.certificatePem));
    expect(result.out).toMatch(/: OK\s*$/);
    expect(ws.text(intermediate.certificatePem)).toContain("Issuer: C = US, O = External Corp, CN = External Root");
  });
});
