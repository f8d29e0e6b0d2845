import { afterAll, describe, expect, it } from "vitest";
import { createIntermediateCa, createRootCa, issueClientCertificate, issueServerCertificate, PkiError, type KeyAlgorithm } from "./index";
import { parseCertificate } from "./parse-certificate";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";
import { buildChain, verifyChain } from "./verify-chain";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

// RSA-3072/4096 generation takes seconds each; the matrix uses the fast RSA size, and RSA-4096 gets one case.
const MATRIX: KeyAlgorithm[] = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"];

describe.each(MATRIX)("certificates with %s keys", (algorithm) => {
  it("issues root → server and client leaves that openssl verifies, with the extensions PostgreSQL needs", async () => {
    const root = await createRootCa({ subject: { CN: `Root ${algorithm}`, O: "Acme", C: "DE" }, keyAlgorithm: algorithm, days: 3650, pathLen: 0 });
    const server = await issueServerCertificate({
      issuer: root,
      days: 397,
      dnsNames: ["db1.example.internal", "pg-rw.example.internal"],
      ipAddresses: ["10.0.0.5", "2001:db8::5"],
      subjectTemplate: { O: "Acme" },
      key: { generate: algorithm },
    });
    const client = await issueClientCertificate({ issuer: root, days: 365, databaseUser: "app_rw", key: { generate: algorithm } });
    const rootFile = ws.write(`root-${algorithm}.pem`, root.certificatePem);

    for (const leaf of [server, client]) {
      const verify = ws.run("verify", "-CAfile", rootFile, ws.write(`leaf-${Math.random()}.pem`, leaf.certificatePem));
      expect(verify.out).toContain(": OK");
      expect(verify.status).toBe(0);
    }
    const rootText = ws.text(root.certificatePem);
    expect(rootText).toContain("Version: 3 (0x2)");
    expect(rootText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(rootText).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);

    const serverText = ws.text(server.certificatePem);
    expect(serverText).toContain("Subject: O = Acme, CN = db1.example.internal");
    expect(serverText).toContain("DNS:db1.example.internal, DNS:pg-rw.example.internal, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5");
    expect(serverText).toMatch(/Extended Key Usage: \s+TLS Web Server Authentication/);
    expect(serverText).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(serverText).toMatch(algorithm.startsWith("rsa") ? /Key Usage: critical\s+Digital Signature, Key Encipherment/ : /Key Usage: critical\s+Digital Signature\n/);
    expect(serverText).toMatch(algorithm === "ed25519" ? /Signature Algorithm: ED25519/ : algorithm === "ecdsa-p384" ? /ecdsa-with-SHA384/ : /(ecdsa-with-SHA256|sha256WithRSAEncryption)/);
    expect(serverText).not.toMatch(/sha1/i);
    expect(ws.text(client.certificatePem)).toMatch(/Subject: CN = app_rw[\s\S]*TLS Web Client Authentication/);

    const parsed = await parseCertificate(server.certificatePem);
    expect(parsed).toMatchObject({
      subject: "CN=db1.example.internal,O=Acme",
      issuer: `CN=Root ${algorithm},O=Acme,C=DE`,
      serialHex: server.serialHex,
      dnsNames: ["db1.example.internal", "pg-rw.example.internal"],
      ipAddresses: ["10.0.0.5", "2001:db8::5"],
      isCa: false,
      extKeyUsage: ["serverAuth"],
      key: { algorithm },
    });
    const fingerprint = ws.run("x509", "-in", ws.write("fp.pem", server.certificatePem), "-noout", "-fingerprint", "-sha256").out;
    expect(fingerprint).toContain(parsed.fingerprintSha256Colon);
    expect(ws.run("x509", "-in", ws.write("serial.pem", server.certificatePem), "-noout", "-serial").out.trim()).toBe(`serial=${server.serialHex}`);
    await expect(verifyChain({ leafPem: client.certificatePem, trustedRootsPem: [root.certificatePem] })).resolves.toBeUndefined();
  });
});

describe("chains, lifetimes and time encodings", () => {
  it("verifies root → intermediate → leaf with openssl and with verifyChain, across key types", async () => {
    const root = await createRootCa({ subject: { CN: "Chain Root" }, keyAlgorithm: "ecdsa-p384", days: 3650, pathLen: 1 });
    const intermediate = await createIntermediateCa({ issuer: root, subject: { CN: "Chain Intermediate" }, keyAlgorithm: "rsa-2048", days: 1825 });
    const leaf = await issueServerCertificate({ issuer: intermediate, days: 90, dnsNames: ["db2.example.internal"], key: { generate: "ecdsa-p256" } });
    const result = ws.run("verify", "-CAfile", ws.write("chain-root.pem", root.certificatePem), "-untrusted", ws.write("chain-int.pem", intermediate.certificatePem), ws.write("chain-leaf.pem", leaf.certificatePem));
    expect(result.out).toContain(": OK");
    expect(ws.text(intermediate.certificatePem)).toMatch(/CA:TRUE, pathlen:0/);
    await verifyChain({ leafPem: leaf.certificatePem, intermediatesPem: [intermediate.certificatePem], trustedRootsPem: [root.certificatePem] });
    expect(buildChain(leaf.certificatePem, [root.certificatePem, intermediate.certificatePem])).toEqual([leaf.certificatePem, intermediate.certificatePem]);
    const otherRoot = await createRootCa({ subject: { CN: "Chain Root" }, days: 10 });
    await expect(verifyChain({ leafPem: leaf.certificatePem, intermediatesPem: [intermediate.certificatePem], trustedRootsPem: [otherRoot.certificatePem] })).rejects.toThrow(
      /the signature on "Chain Intermediate" does not verify/,
    );
  });

  it("uses GeneralizedTime from 2050 on, in whole seconds, and openssl accepts it", async () => {
    const root = await createRootCa({ subject: { CN: "Long Root" }, days: 36_500 });
    const leaf = await issueServerCertificate({ issuer: root, days: 30_000, dnsNames: ["far.example"], key: { generate: "ecdsa-p256" } });
    expect(leaf.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
    expect(leaf.notAfter.getUTCMilliseconds()).toBe(0);
    const asn1 = ws.run("asn1parse", "-in", ws.write("long.pem", leaf.certificatePem));
    expect(asn1.out).toMatch(/GENERALIZEDTIME\s+:2\d{3}\d{10}Z/);
    expect(asn1.out).toMatch(/UTCTIME\s+:\d{12}Z/); // notBefore is still before 2050
    expect(ws.run("verify", "-CAfile", ws.write("long-root.pem", root.certificatePem), ws.write("long-leaf.pem", leaf.certificatePem)).out).toContain(": OK");
  });

  it("clamps a leaf to its issuer's lifetime", async () => {
    const root = await createRootCa({ subject: { CN: "Short Root" }, days: 30 });
    const leaf = await issueClientCertificate({ issuer: root, days: 365, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    expect(leaf.clamped).toBe(true);
    expect(leaf.notAfter.getTime()).toBe(root.notAfter.getTime());
  });

  it("issues 128-bit positive serials without a needless leading zero", async () => {
    const root = await createRootCa({ subject: { CN: "Serial Root" }, days: 10 });
    for (let i = 0; i < 20; i++) {
      const leaf = await issueClientCertificate({ issuer: root, days: 1, databaseUser: `u${i}`, key: { generate: "ecdsa-p256" } });
      expect(leaf.serialHex).toMatch(/^[0-9A-F]{31,32}$/);
      expect(leaf.serialHex.startsWith("00")).toBe(false);
    }
  });

  it("parses certificates OpenSSL made", async () => {
    ws.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "o.key", "-out", "o.pem", "-days", "5", "-subj", "/CN=openssl.example/O=Ossl", "-addext", "subjectAltName=DNS:openssl.example,IP:192.0.2.7");
    const parsed = await parseCertificate((await import("node:fs")).readFileSync(`${ws.dir}/o.pem`, "utf8"));
    expect(parsed).toMatchObject({ subject: "O=Ossl,CN=openssl.example", dnsNames: ["openssl.example"], ipAddresses: ["192.0.2.7"], isCa: true, key: { algorithm: "ecdsa-p256" } });
  });
});

describe("slow RSA sizes", () => {
  it("issues under RSA-4096 and for RSA-3072 keys (generation is asynchronous WebCrypto)", async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const root = await createRootCa({ subject: { CN: "RSA-4096 Root" }, keyAlgorithm: "rsa-4096", days: 365 });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(5); // the event loop kept running while the key was generated
    const leaf = await issueServerCertificate({ issuer: root, days: 30, dnsNames: ["big.example"], key: { generate: "rsa-3072" } });
    expect(ws.text(leaf.certificatePem)).toContain("Public-Key: (3072 bit)");
    expect(ws.text(root.certificatePem)).toContain("Public-Key: (4096 bit)");
    expect(ws.run("verify", "-CAfile", ws.write("rsa4096.pem", root.certificatePem), ws.write("rsa3072.pem", leaf.certificatePem)).out).toContain(": OK");
  });
});

describe("refusals", () => {
  it("refuses bad names, lifetimes and issuers with specific codes", async () => {
    const root = await createRootCa({ subject: { CN: "Refusal Root" }, days: 10 });
    const leaf = await issueServerCertificate({ issuer: root, days: 5, dnsNames: ["leaf.example"], key: { generate: "ecdsa-p256" } });
    // Thunks, so no rejected promise sits unawaited while an earlier case runs.
    const attempts: [() => Promise<unknown>, string, RegExp][] = [
      [() => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["bad_name.example"], key: { generate: "ecdsa-p256" } }), "NAME_INVALID", /"bad_name.example" is not a valid DNS name/],
      [() => issueServerCertificate({ issuer: root, days: 5, dnsNames: [], key: { generate: "ecdsa-p256" } }), "NAME_INVALID", /at least one DNS name/],
      [() => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["ok.example"], ipAddresses: ["300.1.1.1"], key: { generate: "ecdsa-p256" } }), "NAME_INVALID", /"300.1.1.1"/],
      [() => issueClientCertificate({ issuer: root, days: 0, databaseUser: "app", key: { generate: "ecdsa-p256" } }), "LIFETIME_INVALID", /1 to 36500 days/],
      [() => issueClientCertificate({ issuer: { certificatePem: leaf.certificatePem, privateKeyPem: leaf.privateKeyPem! }, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } }), "ISSUER_INVALID", /is not a CA certificate/],
      [() => issueClientCertificate({ issuer: { certificatePem: root.certificatePem, privateKeyPem: leaf.privateKeyPem! }, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } }), "KEY_MISMATCH", /does not belong to CA/],
      [() => createRootCa({ subject: { CN: "x", C: "Germany" }, days: 5 }), "NAME_INVALID", /two upper-case letters/],
    ];
    attempts.push([() => createRootCa({ subject: { CN: "x" }, keyAlgorithm: "dsa-1024" as KeyAlgorithm, days: 5 }), "KEY_UNSUPPORTED", /unsupported key algorithm "dsa-1024"/]);
    for (const [attempt, code, message] of attempts) {
      const error = await attempt().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(PkiError);
      expect((error as PkiError).code).toBe(code);
      expect((error as PkiError).message).toMatch(message);
    }
  });

  it("gives a PkiError for every malformed certificate input, never another exception", async () => {
    const root = await createRootCa({ subject: { CN: "Corpus Root" }, days: 10 });
    const der = root.certificateDer;
    const corpus: [string | Uint8Array, string][] = [
      ["", "PEM_INVALID"],
      ["hello", "PEM_INVALID"],
      [root.privateKeyPem, "PEM_INVALID"],
      ["-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n", "PEM_INVALID"],
      [der.subarray(0, der.length - 10), "DER_INVALID"],
      [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), "DER_INVALID"],
      [new Uint8Array(300 * 1024), "INPUT_TOO_LARGE"],
      ["x".repeat(300 * 1024), "INPUT_TOO_LARGE"],
    ];
    for (const [input, code] of corpus) {
      const error = await parseCertificate(input).then(() => null, (e: unknown) => e);
      expect(error, `input ${String(input).slice(0, 30)}`).toBeInstanceOf(PkiError);
      expect((error as PkiError).code).toBe(code);
    }
  });
});
