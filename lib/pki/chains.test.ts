import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildChain,
  createIntermediateCa,
  createRootCa,
  issueClientCertificate,
  issueServerCertificate,
  parseCertificate,
  PkiError,
  verifyChain,
} from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

function opensslVerify(root: string, leaf: string, ...extra: string[]) {
  return ws.run(
    "verify",
    "-x509_strict",
    ...extra,
    "-CAfile",
    ws.write(`root-${Math.random()}.pem`, root),
    ws.write(`leaf-${Math.random()}.pem`, leaf),
  );
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
      expect(ws.run("verify", "-CAfile", ws.write("bundle.pem", bundle), ws.write("rot-leaf.pem", leaf.certificatePem)).out).toMatch(
        /: OK\s*$/,
      );
    }
    await expect(verifyChain({ leafPem: newLeaf.certificatePem, trustedRootsPem: [oldRoot.certificatePem] })).rejects.toThrow(
      /signature on "db.example" does not verify/,
    );

    // Two intermediates with one name: buildChain picks the one whose SKI is the leaf's AKI.
    const oldInt = await createIntermediateCa({ issuer: oldRoot, subject: { CN: "Orders Issuing" }, days: 100 });
    const newInt = await createIntermediateCa({ issuer: newRoot, subject: { CN: "Orders Issuing" }, days: 100 });
    const leaf = await issueClientCertificate({ issuer: newInt, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    expect(buildChain(leaf.certificatePem, [oldInt.certificatePem, newInt.certificatePem])).toEqual([
      leaf.certificatePem,
      newInt.certificatePem,
    ]);
    await verifyChain({
      leafPem: leaf.certificatePem,
      intermediatesPem: [oldInt.certificatePem, newInt.certificatePem],
      trustedRootsPem: [bundle],
    });
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
    ws.run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ext.key",
      "-out",
      "ext.pem",
      "-days",
      "30",
      "-subj",
      "/C=US/O=External Corp/CN=External Root",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    const external = {
      certificatePem: fs.readFileSync(`${ws.dir}/ext.pem`, "utf8"),
      privateKeyPem: fs.readFileSync(`${ws.dir}/ext.key`, "utf8"),
    };
    const intermediate = await createIntermediateCa({ issuer: external, subject: { CN: "Cluster CA", O: "Acme" }, days: 3650 });
    expect(intermediate.notAfter.getTime()).toBeLessThanOrEqual((await parseCertificate(external.certificatePem)).notAfter.getTime()); // clamped to the parent
    const leaf = await issueServerCertificate({
      issuer: intermediate,
      days: 30,
      dnsNames: ["db.example"],
      key: { generate: "ecdsa-p256" },
    });
    const result = opensslVerify(
      external.certificatePem,
      leaf.certificatePem,
      "-untrusted",
      ws.write("ext-int.pem", intermediate.certificatePem),
    );
    expect(result.out).toMatch(/: OK\s*$/);
    expect(ws.text(intermediate.certificatePem)).toContain("Issuer: C = US, O = External Corp, CN = External Root");
  });

  it("agrees with openssl on chains OpenSSL built that break pathLen or keyUsage", async () => {
    const run = (...args: string[]) => expect(ws.run(...args).status).toBe(0);
    run(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "p0.key",
      "-out",
      "p0.pem",
      "-days",
      "30",
      "-subj",
      "/CN=PathLen0 Root",
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    run(
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "sub.key",
      "-out",
      "sub.csr",
      "-subj",
      "/CN=Forbidden Sub",
    );
    ws.write(
      "sub.ext",
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    );
    run(
      "x509",
      "-req",
      "-in",
      "sub.csr",
      "-CA",
      "p0.pem",
      "-CAkey",
      "p0.key",
      "-CAcreateserial",
      "-days",
      "20",
      "-extfile",
      "sub.ext",
      "-out",
      "sub.pem",
    );
    const read = (name: string) => fs.readFileSync(`${ws.dir}/${name}`, "utf8");
    // We can still issue under the sub-CA (its own constraints allow it), but the chain is invalid above it.
    const leaf = await issueServerCertificate({
      issuer: { certificatePem: read("sub.pem"), privateKeyPem: read("sub.key") },
      days: 5,
      dnsNames: ["db.example"],
      key: { generate: "ecdsa-p256" },
    });
    expect(ws.run("verify", "-CAfile", "p0.pem", "-untrusted", "sub.pem", ws.write("p0-leaf.pem", leaf.certificatePem)).out).toMatch(
      /path length constraint exceeded/,
    );
    await expect(
      verifyChain({ leafPem: leaf.certificatePem, intermediatesPem: [read("sub.pem")], trustedRootsPem: [read("p0.pem")] }),
    ).rejects.toThrow(/"PathLen0 Root" allows 0 intermediate CA\(s\) below it, the chain has 1/);

    // A CA certificate whose keyUsage lacks keyCertSign may not sign (RFC 5280 §4.2.1.3).
    run(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "nosign.key",
      "-out",
      "nosign.pem",
      "-days",
      "30",
      "-subj",
      "/CN=No Sign",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,digitalSignature",
    );
    const refused = await issueServerCertificate({
      issuer: { certificatePem: read("nosign.pem"), privateKeyPem: read("nosign.key") },
      days: 5,
      dnsNames: ["db.example"],
      key: { generate: "ecdsa-p256" },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PkiError);
    expect((refused as PkiError).message).toBe('CA "No Sign" may not sign certificates (keyUsage lacks keyCertSign)');
  });
});
