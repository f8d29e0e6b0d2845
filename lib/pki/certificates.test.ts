import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createIntermediateCa, createRootCa, issueClientCertificate, issueServerCertificate, PkiError, type KeyAlgorithm } from "./index";
import { parseCertificate } from "./parse-certificate";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";
import { buildChain, verifyChain } from "./verify-chain";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

// RSA-3072/4096 generation takes seconds each; the matrix uses the fast RSA size, and RSA-4096 gets one case.
const MATRIX: KeyAlgorithm[] = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"];
const SIGNATURE_TEXT: Record<string, RegExp> = {
  "ecdsa-p256": /Signature Algorithm: ecdsa-with-SHA256/,
  "ecdsa-p384": /Signature Algorithm: ecdsa-with-SHA384/,
  "rsa-2048": /Signature Algorithm: sha256WithRSAEncryption/,
  ed25519: /Signature Algorithm: ED25519/,
};

/** `openssl verify -x509_strict` also checks RFC 5280 details: AKI/SKI present, CA basicConstraints critical, v3. */
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

describe.each(MATRIX)("certificates with %s keys", (algorithm) => {
  it("issues root → server and client leaves that openssl verifies for their purpose, names and IPs", async () => {
    const root = await createRootCa({
      subject: { CN: `Root ${algorithm}`, O: "Acme", C: "DE" },
      keyAlgorithm: algorithm,
      days: 3650,
      pathLen: 1,
    });
    const server = await issueServerCertificate({
      issuer: root,
      days: 397,
      dnsNames: ["db1.example.internal", "pg-rw.example.internal"],
      ipAddresses: ["10.0.0.5", "2001:db8::5", "::ffff:192.0.2.1"],
      subjectTemplate: { O: "Acme", C: "DE" },
      key: { generate: algorithm },
    });
    const client = await issueClientCertificate({ issuer: root, days: 365, databaseUser: "app_rw", key: { generate: algorithm } });

    // verify-full in libpq = chain + host name (dNSName or iPAddress SAN); -purpose checks EKU and keyUsage.
    for (const check of [
      ["-verify_hostname", "pg-rw.example.internal"],
      ["-verify_ip", "10.0.0.5"],
      ["-verify_ip", "2001:DB8:0:0::5"],
      ["-verify_ip", "::ffff:192.0.2.1"],
    ]) {
      const result = opensslVerify(root.certificatePem, server.certificatePem, "-purpose", "sslserver", ...check);
      expect(result.out, check.join(" ")).toMatch(/: OK\s*$/);
      expect(result.status).toBe(0);
    }
    expect(opensslVerify(root.certificatePem, server.certificatePem, "-verify_hostname", "evil.example.internal").status).not.toBe(0);
    expect(opensslVerify(root.certificatePem, server.certificatePem, "-verify_ip", "10.0.0.6").status).not.toBe(0);
    expect(opensslVerify(root.certificatePem, client.certificatePem, "-purpose", "sslclient").out).toMatch(/: OK\s*$/);
    // A client certificate must not pass as a server one (EKU clientAuth only), and vice versa.
    expect(opensslVerify(root.certificatePem, client.certificatePem, "-purpose", "sslserver").status).not.toBe(0);
    expect(opensslVerify(root.certificatePem, server.certificatePem, "-purpose", "sslclient").status).not.toBe(0);

    const rootText = ws.text(root.certificatePem);
    expect(rootText).toContain("Version: 3 (0x2)");
    expect(rootText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    expect(rootText).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(rootText).toMatch(SIGNATURE_TEXT[algorithm]!);

    const serverText = ws.text(server.certificatePem);
    expect(serverText).toContain("Version: 3 (0x2)");
    expect(serverText).toContain("Subject: C = DE, O = Acme, CN = db1.example.internal");
    expect(serverText).toContain(
      "DNS:db1.example.internal, DNS:pg-rw.example.internal, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5, IP Address:0:0:0:0:0:FFFF:C000:201",
    );
    expect(serverText).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Server Authentication\n/);
    expect(serverText).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(serverText).toMatch(
      algorithm.startsWith("rsa")
        ? /Key Usage: critical\s+Digital Signature, Key Encipherment\n/
        : /Key Usage: critical\s+Digital Signature\n/,
    );
    expect(serverText).toMatch(SIGNATURE_TEXT[algorithm]!);
    expect(serverText).not.toMatch(/sha1/i);
    expect(ws.text(client.certificatePem)).toMatch(
      /Subject: CN = app_rw[\s\S]*X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/,
    );

    const parsed = await parseCertificate(server.certificatePem);
    expect(parsed).toMatchObject({
      version: 3,
      subject: "CN=db1.example.internal,O=Acme,C=DE",
      issuer: `CN=Root ${algorithm},O=Acme,C=DE`,
      issuerFields: { CN: `Root ${algorithm}`, O: "Acme", C: "DE" },
      serialHex: server.serialHex,
      dnsNames: ["db1.example.internal", "pg-rw.example.internal"],
      ipAddresses: ["10.0.0.5", "2001:db8::5", "::ffff:c000:201"],
      isCa: false,
      pathLen: null,
      keyUsage: algorithm.startsWith("rsa") ? ["digitalSignature", "keyEncipherment"] : ["digitalSignature"],
      extKeyUsage: ["serverAuth"],
      key: { algorithm },
      notBefore: server.notBefore,
      notAfter: server.notAfter,
    });
    const serverFile = ws.write("server.pem", server.certificatePem);
    expect(ws.run("x509", "-in", serverFile, "-noout", "-fingerprint", "-sha256").out.trim()).toBe(
      `sha256 Fingerprint=${parsed.fingerprintSha256Colon}`,
    );
    expect(ws.run("x509", "-in", serverFile, "-noout", "-serial").out.trim()).toBe(`serial=${server.serialHex}`);
    // AKI of the leaf is the root's SKI, as openssl prints both.
    const rootParsed = await parseCertificate(root.certificatePem);
    expect(rootParsed).toMatchObject({
      isCa: true,
      pathLen: 1,
      selfIssued: true,
      keyUsage: ["digitalSignature", "keyCertSign", "cRLSign"],
    });
    expect(parsed.authorityKeyIdentifier).toBe(rootParsed.subjectKeyIdentifier);
    expect(serverText.replace(/\s+/g, "")).toContain(`AuthorityKeyIdentifier:${colon(rootParsed.subjectKeyIdentifier!)}`);
    await expect(verifyChain({ leafPem: client.certificatePem, trustedRootsPem: [root.certificatePem] })).resolves.toBeUndefined();
  });

  it("issues root → intermediate → leaf that openssl verifies with -untrusted, and the chain builds in order", async () => {
    const root = await createRootCa({ subject: { CN: `Chain Root ${algorithm}` }, keyAlgorithm: algorithm, days: 3650, pathLen: 1 });
    const intermediate = await createIntermediateCa({
      issuer: root,
      subject: { CN: `Chain Intermediate ${algorithm}`, O: "Acme" },
      keyAlgorithm: algorithm,
      days: 1825,
    });
    const leaf = await issueServerCertificate({
      issuer: intermediate,
      days: 90,
      dnsNames: ["db2.example.internal"],
      key: { generate: "ecdsa-p256" },
    });
    const intermediateFile = ws.write(`int-${algorithm}.pem`, intermediate.certificatePem);
    const result = opensslVerify(
      root.certificatePem,
      leaf.certificatePem,
      "-untrusted",
      intermediateFile,
      "-purpose",
      "sslserver",
      "-verify_hostname",
      "db2.example.internal",
    );
    expect(result.out).toMatch(/: OK\s*$/);
    // Without the intermediate the leaf cannot chain to the root: proves the intermediate really is in the path.
    expect(opensslVerify(root.certificatePem, leaf.certificatePem).status).not.toBe(0);
    const intermediateText = ws.text(intermediate.certificatePem);
    expect(intermediateText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(intermediateText).toMatch(SIGNATURE_TEXT[algorithm]!);
    await verifyChain({
      leafPem: leaf.certificatePem,
      intermediatesPem: [intermediate.certificatePem],
      trustedRootsPem: [root.certificatePem],
    });
    expect(buildChain(leaf.certificatePem, [root.certificatePem, intermediate.certificatePem])).toEqual([
      leaf.certificatePem,
      intermediate.certificatePem,
    ]);
  });
});

function colon(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, "$1:");
}

describe("lifetimes, time encodings and foreign certificates", () => {
  it("uses GeneralizedTime from 2050 on, in whole seconds, and openssl accepts it", async () => {
    const root = await createRootCa({ subject: { CN: "Long Root" }, days: 36_500 });
    // A client certificate: server certificates stop at 398 days.
    const leaf = await issueClientCertificate({ issuer: root, days: 30_000, databaseUser: "far", key: { generate: "ecdsa-p256" } });
    expect(leaf.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
    expect(leaf.notAfter.getUTCMilliseconds()).toBe(0);
    const asn1 = ws.run("asn1parse", "-in", ws.write("long.pem", leaf.certificatePem));
    expect(asn1.out).toMatch(/GENERALIZEDTIME\s+:2\d{3}\d{10}Z/);
    expect(asn1.out).toMatch(/UTCTIME\s+:\d{12}Z/); // notBefore is still before 2050
    expect(opensslVerify(root.certificatePem, leaf.certificatePem).out).toMatch(/: OK\s*$/);
    // Both sides of the boundary: 2049-12-31T23:59:59 is UTCTime, 2050-01-01T00:00:00 GeneralizedTime.
    const edge = await createRootCa({ subject: { CN: "Edge" }, days: 1, now: new Date("2049-12-31T00:05:00.999Z") });
    const edgeAsn1 = ws.run("asn1parse", "-in", ws.write("edge.pem", edge.certificatePem)).out;
    expect(edgeAsn1).toContain("UTCTIME           :491231000000Z");
    expect(edgeAsn1).toContain("GENERALIZEDTIME   :20500101000500Z");
    expect(ws.run("x509", "-in", ws.write("edge2.pem", edge.certificatePem), "-noout", "-enddate").out.trim()).toBe(
      "notAfter=Jan  1 00:05:00 2050 GMT",
    );
  });

  it("backdates notBefore five minutes and clamps a leaf to its issuer's lifetime", async () => {
    const now = new Date("2026-03-01T12:00:00.500Z");
    const root = await createRootCa({ subject: { CN: "Short Root" }, days: 30, now });
    const leaf = await issueClientCertificate({ issuer: root, days: 365, databaseUser: "app", key: { generate: "ecdsa-p256" }, now });
    expect(leaf.notBefore.toISOString()).toBe("2026-03-01T11:55:00.000Z");
    expect(leaf.clamped).toBe(true);
    expect(leaf.notAfter.getTime()).toBe(root.notAfter.getTime());
    const fits = await issueClientCertificate({ issuer: root, days: 10, databaseUser: "app", key: { generate: "ecdsa-p256" }, now });
    expect(fits.clamped).toBe(false);
    expect(fits.notAfter.toISOString()).toBe("2026-03-11T12:00:00.000Z");
  });

  it("parses certificates OpenSSL made, and fingerprints the bytes as received", async () => {
    ws.run(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "o.key",
      "-out",
      "o.pem",
      "-days",
      "5",
      "-subj",
      "/CN=openssl.example/O=Ossl",
      "-addext",
      "subjectAltName=DNS:openssl.example,IP:192.0.2.7,IP:fe80::1",
    );
    const pem = fs.readFileSync(`${ws.dir}/o.pem`, "utf8");
    const parsed = await parseCertificate(pem);
    expect(parsed).toMatchObject({
      version: 3,
      subject: "O=Ossl,CN=openssl.example",
      dnsNames: ["openssl.example"],
      ipAddresses: ["192.0.2.7", "fe80::1"],
      isCa: true,
      key: { algorithm: "ecdsa-p256", bits: 256 },
      signatureAlgorithm: "ecdsa-with-SHA256",
    });
    expect(ws.run("x509", "-in", `${ws.dir}/o.pem`, "-noout", "-fingerprint", "-sha256").out).toContain(parsed.fingerprintSha256Colon);
    expect(ws.run("x509", "-in", `${ws.dir}/o.pem`, "-noout", "-serial").out.trim()).toBe(`serial=${parsed.serialHex}`);
    // DER input and a CRLF-mangled PEM give the same result.
    ws.run("x509", "-in", "o.pem", "-outform", "DER", "-out", "o.der");
    const der = new Uint8Array(fs.readFileSync(`${ws.dir}/o.der`));
    expect((await parseCertificate(der)).fingerprintSha256).toBe(parsed.fingerprintSha256);
    expect((await parseCertificate(pem.replace(/\n/g, "\r\n"))).fingerprintSha256).toBe(parsed.fingerprintSha256);
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
    expect((await parseCertificate(root.certificatePem)).key).toEqual({ algorithm: "rsa-4096", name: "RSA 4096", bits: 4096 });
    expect(opensslVerify(root.certificatePem, leaf.certificatePem, "-purpose", "sslserver").out).toMatch(/: OK\s*$/);
  });
});

describe("refusals", () => {
  it("refuses bad names, lifetimes and issuers with specific codes, before generating a key", async () => {
    const root = await createRootCa({ subject: { CN: "Refusal Root" }, days: 10 });
    const leaf = await issueServerCertificate({ issuer: root, days: 5, dnsNames: ["leaf.example"], key: { generate: "ecdsa-p256" } });
    const key = { generate: "ecdsa-p256" as const };
    // Thunks, so no rejected promise sits unawaited while an earlier case runs.
    const attempts: [() => Promise<unknown>, string, RegExp][] = [
      [
        () => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["bad_name.example"], key }),
        "NAME_INVALID",
        /"bad_name.example" is not a valid DNS name/,
      ],
      [() => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["db.*.example"], key }), "NAME_INVALID", /"db.\*.example"/],
      [() => issueServerCertificate({ issuer: root, days: 5, dnsNames: [], key }), "NAME_INVALID", /at least one DNS name/],
      [
        () => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["ok.example"], ipAddresses: ["300.1.1.1"], key }),
        "NAME_INVALID",
        /"300.1.1.1"/,
      ],
      [
        () => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["ok.example"], ipAddresses: ["fe80::1%eth0"], key }),
        "NAME_INVALID",
        /"fe80::1%eth0"/,
      ],
      [
        () => issueServerCertificate({ issuer: root, days: 5, dnsNames: ["ok.example"], subjectTemplate: { O: "x".repeat(65) }, key }),
        "NAME_INVALID",
        /subject O .* longer than 64/,
      ],
      [() => issueClientCertificate({ issuer: root, days: 0, databaseUser: "app", key }), "LIFETIME_INVALID", /1 to 36500 days/],
      [() => issueClientCertificate({ issuer: root, days: 1.5, databaseUser: "app", key }), "LIFETIME_INVALID", /got 1.5/],
      [() => issueClientCertificate({ issuer: root, days: 5, databaseUser: "", key }), "NAME_INVALID", /PostgreSQL user name/],
      [() => issueClientCertificate({ issuer: root, days: 5, databaseUser: "é".repeat(32), key }), "NAME_INVALID", /1-63 bytes/],
      [
        () => issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key, now: new Date("2100-01-01") }),
        "ISSUER_INVALID",
        /expired/,
      ],
      [
        () =>
          issueClientCertificate({
            issuer: { certificatePem: leaf.certificatePem, privateKeyPem: leaf.privateKeyPem! },
            days: 5,
            databaseUser: "app",
            key,
          }),
        "ISSUER_INVALID",
        /is not a CA certificate/,
      ],
      [
        () =>
          issueClientCertificate({
            issuer: { certificatePem: root.certificatePem, privateKeyPem: leaf.privateKeyPem! },
            days: 5,
            databaseUser: "app",
            key,
          }),
        "KEY_MISMATCH",
        /does not belong to CA/,
      ],
      [() => createRootCa({ subject: { CN: "x", C: "Germany" }, days: 5 }), "NAME_INVALID", /two upper-case letters/],
      [() => createRootCa({ subject: { CN: "  " }, days: 5 }), "NAME_INVALID", /needs a common name/],
      [() => createRootCa({ subject: { CN: "x" }, days: 5, pathLen: -1 }), "PARAM_INVALID", /pathLen/],
      [() => createRootCa({ subject: { CN: "x" }, days: 5, now: new Date("nonsense") }), "LIFETIME_INVALID", /Invalid Date/],
      [
        () => createRootCa({ subject: { CN: "x" }, keyAlgorithm: "dsa-1024" as KeyAlgorithm, days: 5 }),
        "KEY_UNSUPPORTED",
        /unsupported key algorithm "dsa-1024"/,
      ],
    ];
    for (const [attempt, code, message] of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf(PkiError);
      expect((error as PkiError).code, String(message)).toBe(code);
      expect((error as PkiError).message).toMatch(message);
    }
  });

  it("puts a long primary name in the SAN and the first name that fits the 64-character CN", async () => {
    const root = await createRootCa({ subject: { CN: "Long Names" }, days: 10 });
    const long = `${"a".repeat(60)}.${"b".repeat(60)}.example`;
    const leaf = await issueServerCertificate({
      issuer: root,
      days: 5,
      dnsNames: [long, "short.example"],
      key: { generate: "ecdsa-p256" },
    });
    const parsed = await parseCertificate(leaf.certificatePem);
    expect(parsed.subject).toBe("CN=short.example");
    expect(parsed.dnsNames).toEqual([long, "short.example"]);
    expect(opensslVerify(root.certificatePem, leaf.certificatePem, "-verify_hostname", long).out).toMatch(/: OK\s*$/);
  });
});

describe("what an issued leaf says about itself", () => {
  it("matches what parseCertificate reads back, escaping included, so bulk issuance need not parse", async () => {
    const root = await createRootCa({ subject: { CN: "Root" }, days: 30 });
    const template = { O: 'Acme, Inc. + "Sons"', OU: "DB;Ops", C: "DE" };
    const server = await issueServerCertificate({
      issuer: root,
      days: 30,
      dnsNames: ["DB1.Example.Internal", "db1.example.internal", "pg-rw.example.internal"],
      ipAddresses: ["10.0.0.5", "fd00::5"],
      subjectTemplate: template,
      key: { generate: "ecdsa-p256" },
    });
    const client = await issueClientCertificate({
      issuer: root,
      days: 30,
      databaseUser: "app_rw",
      subjectTemplate: template,
      key: { generate: "ecdsa-p256" },
    });
    for (const leaf of [server, client]) {
      const parsed = await parseCertificate(leaf.certificateDer);
      expect({
        subject: leaf.subject,
        dnsNames: leaf.dnsNames,
        ipAddresses: leaf.ipAddresses,
        fingerprintSha256: leaf.fingerprintSha256,
      }).toEqual({
        subject: parsed.subject,
        dnsNames: parsed.dnsNames,
        ipAddresses: parsed.ipAddresses,
        fingerprintSha256: parsed.fingerprintSha256,
      });
    }
    expect(server.dnsNames).toEqual(["db1.example.internal", "pg-rw.example.internal"]);
  });
});
