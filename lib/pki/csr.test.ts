import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createCsr, createRootCa, parseCsr, PkiError, signCsr, type CsrPolicy } from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

const policy: CsrPolicy = { allowedDnsNames: ["db1.example.internal", "pg.example.internal"], allowedIpAddresses: ["10.0.0.5"], allowedCommonNames: ["app"], maxDays: 397 };

async function refusal(promise: Promise<unknown>): Promise<PkiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PkiError);
  return error as PkiError;
}

describe("CSRs", () => {
  it("creates CSRs that openssl req -verify accepts, and signs them within policy", async () => {
    const root = await createRootCa({ subject: { CN: "CSR Root" }, days: 365 });
    for (const keyAlgorithm of ["ecdsa-p256", "rsa-2048", "ed25519"] as const) {
      const { csrPem } = await createCsr({ subject: { CN: "db1.example.internal" }, dnsNames: ["db1.example.internal", "pg.example.internal"], ipAddresses: ["10.0.0.5"], keyAlgorithm });
      expect(ws.run("req", "-in", ws.write(`r-${keyAlgorithm}.csr`, csrPem), "-noout", "-verify").out).toMatch(/verify OK|Certificate request self-signature verify OK/);
      const parsed = await parseCsr(csrPem);
      expect(parsed).toMatchObject({ commonName: "db1.example.internal", dnsNames: ["db1.example.internal", "pg.example.internal"], ipAddresses: ["10.0.0.5"], signatureValid: true, key: { algorithm: keyAlgorithm } });
      const issued = await signCsr({ csr: csrPem, issuer: root, kind: "server", days: 90, policy });
      expect(issued.privateKeyPem).toBeUndefined(); // the key never left the node
      expect(ws.run("verify", "-CAfile", ws.write("csr-root.pem", root.certificatePem), ws.write(`csr-leaf-${keyAlgorithm}.pem`, issued.certificatePem)).out).toContain(": OK");
    }
  });

  it("signs CSRs made by OpenSSL (server with SANs; client by CN)", async () => {
    const root = await createRootCa({ subject: { CN: "CSR Root 2" }, days: 365 });
    ws.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "o.key", "-out", "o.csr", "-subj", "/CN=db1.example.internal", "-addext", "subjectAltName=DNS:db1.example.internal,IP:10.0.0.5");
    const server = await signCsr({ csr: fs.readFileSync(`${ws.dir}/o.csr`, "utf8"), issuer: root, kind: "server", days: 30, policy });
    expect(ws.text(server.certificatePem)).toContain("DNS:db1.example.internal, IP Address:10.0.0.5");
    ws.run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "c.key", "-out", "c.csr", "-subj", "/CN=app");
    const client = await signCsr({ csr: fs.readFileSync(`${ws.dir}/c.csr`, "utf8"), issuer: root, kind: "client", days: 30, policy });
    expect(ws.text(client.certificatePem)).toMatch(/Subject: CN = app[\s\S]*TLS Web Client Authentication/);
  });

  it("refuses bad signatures, weak or unsupported keys, names outside the policy and long lifetimes", async () => {
    const root = await createRootCa({ subject: { CN: "CSR Root 3" }, days: 365 });
    const { csrPem } = await createCsr({ subject: { CN: "db1.example.internal" }, dnsNames: ["db1.example.internal"] });
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] = der[der.length - 5]! ^ 0x01; // inside the signature
    expect((await refusal(signCsr({ csr: new Uint8Array(der), issuer: root, kind: "server", days: 30, policy }))).code).toBe("CSR_SIGNATURE_INVALID");

    ws.run("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "w.key", "-out", "weak.csr", "-subj", "/CN=db1.example.internal");
    const weak = await refusal(signCsr({ csr: fs.readFileSync(`${ws.dir}/weak.csr`), issuer: root, kind: "server", days: 30, policy }));
    expect(weak.code).toBe("KEY_TOO_WEAK");
    expect(weak.message).toContain("RSA 1024");

    ws.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-nodes", "-keyout", "k.key", "-out", "k1.csr", "-subj", "/CN=db1.example.internal");
    expect((await refusal(signCsr({ csr: fs.readFileSync(`${ws.dir}/k1.csr`, "utf8"), issuer: root, kind: "server", days: 30, policy }))).code).toBe("KEY_UNSUPPORTED");

    const foreign = await createCsr({ subject: { CN: "evil.example.com" }, dnsNames: ["db1.example.internal", "evil.example.com"] });
    const outside = await refusal(signCsr({ csr: foreign.csrPem, issuer: root, kind: "server", days: 30, policy }));
    expect(outside.code).toBe("CSR_NAME_NOT_ALLOWED");
    expect(outside.message).toContain("evil.example.com");
    const superuser = await createCsr({ subject: { CN: "postgres" } });
    expect((await refusal(signCsr({ csr: superuser.csrPem, issuer: root, kind: "client", days: 30, policy }))).message).toMatch(/CN=postgres is not a database user you may request/);
    expect((await refusal(signCsr({ csr: csrPem, issuer: root, kind: "server", days: 800, policy }))).code).toBe("LIFETIME_INVALID");
  });

  it("gives PkiErrors for malformed CSR input", async () => {
    const { csrPem } = await createCsr({ subject: { CN: "x.example" } });
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    for (const input of ["", "garbage", csrPem.replace("CERTIFICATE REQUEST", "CERTIFICATE"), new Uint8Array(der.subarray(0, 40)), new Uint8Array(500_000)]) {
      await refusal(parseCsr(input));
    }
  });
});
