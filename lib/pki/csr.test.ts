import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCsr,
  createRootCa,
  parseCertificate,
  parseCsr,
  PkiError,
  signCsr,
  type CsrPolicy,
  type IssuedCa,
  type KeyAlgorithm,
} from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

const policy: CsrPolicy = {
  allowedDnsNames: ["db1.example.internal", "pg.example.internal"],
  allowedIpAddresses: ["10.0.0.5", "2001:db8::5"],
  allowedCommonNames: ["app"],
  maxDays: 397,
};
let root: IssuedCa;
beforeAll(async () => {
  root = await createRootCa({ subject: { CN: "CSR Root" }, days: 3650 });
});

async function refusal(promise: Promise<unknown>): Promise<PkiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PkiError);
  return error as PkiError;
}

function opensslCsr(name: string, ...args: string[]): string {
  const result = ws.run("req", "-new", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, ...args);
  expect(result.status, result.out).toBe(0);
  return fs.readFileSync(`${ws.dir}/${name}.csr`, "utf8");
}

describe("CSRs", () => {
  it.each<KeyAlgorithm>(["ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"])(
    "%s: createCsr makes a CSR openssl req -verify accepts; signCsr issues for its key",
    async (keyAlgorithm) => {
      const { csrPem, privateKeyPem } = await createCsr({
        subject: { CN: "db1.example.internal", O: "Acme" },
        dnsNames: ["db1.example.internal", "pg.example.internal"],
        ipAddresses: ["10.0.0.5", "2001:DB8::5"],
        keyAlgorithm,
      });
      const csrFile = ws.write(`r-${keyAlgorithm}.csr`, csrPem);
      const verify = ws.run("req", "-in", csrFile, "-noout", "-verify", "-text");
      expect(verify.status).toBe(0);
      expect(verify.out).toMatch(/verify OK/);
      expect(verify.out).toContain(
        "DNS:db1.example.internal, DNS:pg.example.internal, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5",
      );
      expect(verify.out).toContain("Subject: O = Acme, CN = db1.example.internal");
      const parsed = await parseCsr(csrPem);
      expect(parsed).toMatchObject({
        subject: "CN=db1.example.internal,O=Acme",
        commonName: "db1.example.internal",
        dnsNames: ["db1.example.internal", "pg.example.internal"],
        ipAddresses: ["10.0.0.5", "2001:db8::5"],
        signatureValid: true,
        signatureAlgorithmAccepted: true,
        key: { algorithm: keyAlgorithm },
      });
      const issued = await signCsr({ csr: csrPem, issuer: root, kind: "server", days: 90, policy });
      expect(issued.privateKeyPem).toBeUndefined(); // the key never left the node
      expect(issued.keyAlgorithm).toBe(keyAlgorithm);
      const leafFile = ws.write(`csr-leaf-${keyAlgorithm}.pem`, issued.certificatePem);
      expect(
        ws.run(
          "verify",
          "-x509_strict",
          "-purpose",
          "sslserver",
          "-verify_ip",
          "2001:db8::5",
          "-CAfile",
          ws.write("csr-root.pem", root.certificatePem),
          leafFile,
        ).out,
      ).toMatch(/: OK\s*$/);
      // The certificate carries the CSR's key: openssl pairs it with the private key that made the CSR.
      expect(ws.run("x509", "-in", leafFile, "-noout", "-pubkey").out).toBe(
        ws.run("pkey", "-in", ws.write(`csr-${keyAlgorithm}.key`, privateKeyPem), "-pubout").out,
      );
    },
  );

  it("signs CSRs made by OpenSSL: server with SANs, server with CN only, client by CN", async () => {
    const serverCsr = opensslCsr(
      "o",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-subj",
      "/CN=db1.example.internal",
      "-addext",
      "subjectAltName=DNS:db1.example.internal,IP:10.0.0.5",
    );
    const server = await signCsr({ csr: serverCsr, issuer: root, kind: "server", days: 30, policy });
    expect(ws.text(server.certificatePem)).toContain("DNS:db1.example.internal, IP Address:10.0.0.5");

    // No SAN: the CN becomes the one dNSName, since libpq ignores the CN once a SAN exists.
    const cnOnly = await signCsr({
      csr: opensslCsr("cn", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-subj", "/CN=pg.example.internal"),
      issuer: root,
      kind: "server",
      days: 30,
      policy,
    });
    expect(await parseCertificate(cnOnly.certificatePem)).toMatchObject({
      subject: "CN=pg.example.internal",
      dnsNames: ["pg.example.internal"],
      key: { algorithm: "ecdsa-p384" },
    });

    const clientCsr = opensslCsr("c", "-newkey", "rsa:2048", "-subj", "/C=DE/O=Somebody/CN=app");
    const client = await signCsr({
      csr: fs.readFileSync(`${ws.dir}/c.csr`),
      issuer: root,
      kind: "client",
      policy,
      subjectTemplate: { O: "Acme" },
    });
    expect(clientCsr).toContain("BEGIN CERTIFICATE REQUEST");
    // Only the CN is taken from the request; the rest of the subject is the cluster's template.
    expect(ws.text(client.certificatePem)).toMatch(/Subject: O = Acme, CN = app\n[\s\S]*TLS Web Client Authentication/);
    // days defaults to the policy's maximum
    expect(Math.round((client.notAfter.getTime() - client.notBefore.getTime()) / 86_400_000)).toBe(policy.maxDays);
  });

  it("refuses bad signatures, weak or unsupported keys, SHA-1, names outside the policy and long lifetimes", async () => {
    const { csrPem } = await createCsr({ subject: { CN: "db1.example.internal" }, dnsNames: ["db1.example.internal"] });
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] = der[der.length - 5]! ^ 0x01; // inside the signature
    const tampered = await refusal(signCsr({ csr: new Uint8Array(der), issuer: root, kind: "server", days: 30, policy }));
    expect(tampered.code).toBe("CSR_SIGNATURE_INVALID");
    expect(tampered.message).toBe("CSR signature does not verify for CN=db1.example.internal");

    const cases: [string, string, RegExp][] = [
      [opensslCsr("weak", "-newkey", "rsa:1024", "-subj", "/CN=db1.example.internal"), "KEY_TOO_WEAK", /uses RSA 1024; at least RSA 2048/],
      [
        opensslCsr("k1", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-subj", "/CN=db1.example.internal"),
        "KEY_UNSUPPORTED",
        /EC curve secp256k1/,
      ],
      [opensslCsr("e448", "-newkey", "ed448", "-subj", "/CN=db1.example.internal"), "KEY_UNSUPPORTED", /Ed448/],
      [
        opensslCsr("sha1", "-newkey", "rsa:2048", "-sha1", "-subj", "/CN=db1.example.internal"),
        "CSR_SIGNATURE_INVALID",
        /signed with algorithm 1\.2\.840\.113549\.1\.1\.5/,
      ],
    ];
    ws.run("genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsa.param");
    cases.push([opensslCsr("dsa", "-newkey", "dsa:dsa.param", "-subj", "/CN=db1.example.internal"), "KEY_UNSUPPORTED", /DSA/]);
    for (const [csr, code, message] of cases) {
      const error = await refusal(signCsr({ csr, issuer: root, kind: "server", days: 30, policy }));
      expect(error.code, String(message)).toBe(code);
      expect(error.message).toMatch(message);
    }
    // minRsaBits and allowedKeyAlgorithms tighten the defaults.
    const rsa2048 = opensslCsr("rsa2048", "-newkey", "rsa:2048", "-subj", "/CN=db1.example.internal");
    expect(
      (await refusal(signCsr({ csr: rsa2048, issuer: root, kind: "server", days: 30, policy: { ...policy, minRsaBits: 3072 } }))).code,
    ).toBe("KEY_TOO_WEAK");
    expect(
      (
        await refusal(
          signCsr({ csr: rsa2048, issuer: root, kind: "server", days: 30, policy: { ...policy, allowedKeyAlgorithms: ["ecdsa-p256"] } }),
        )
      ).message,
    ).toMatch(/uses rsa-2048; this cluster accepts ecdsa-p256/);

    const foreign = await createCsr({ subject: { CN: "evil.example.com" }, dnsNames: ["db1.example.internal", "evil.example.com"] });
    const outside = await refusal(signCsr({ csr: foreign.csrPem, issuer: root, kind: "server", days: 30, policy }));
    expect(outside.code).toBe("CSR_NAME_NOT_ALLOWED");
    expect(outside.message).toContain("asks for evil.example.com,");
    const foreignIp = await createCsr({
      subject: { CN: "db1.example.internal" },
      dnsNames: ["db1.example.internal"],
      ipAddresses: ["10.0.0.6"],
    });
    expect((await refusal(signCsr({ csr: foreignIp.csrPem, issuer: root, kind: "server", days: 30, policy }))).message).toContain(
      "10.0.0.6",
    );
    expect(
      (
        await refusal(
          signCsr({
            csr: foreignIp.csrPem,
            issuer: root,
            kind: "server",
            days: 30,
            policy: { ...policy, allowedIpAddresses: ["10.0.0.7"] },
          }),
        )
      ).code,
    ).toBe("CSR_NAME_NOT_ALLOWED");
    const superuser = await createCsr({ subject: { CN: "postgres" } });
    const client = await refusal(signCsr({ csr: superuser.csrPem, issuer: root, kind: "client", days: 30, policy }));
    expect(client.code).toBe("CSR_NAME_NOT_ALLOWED");
    expect(client.message).toMatch(/CN=postgres is not a database user you may request/);
    const noCn = opensslCsr("nocn", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-subj", "/O=Acme");
    expect((await refusal(signCsr({ csr: noCn, issuer: root, kind: "client", days: 30, policy }))).message).toBe(
      "a client CSR needs CN = the database user",
    );
    const long = await refusal(signCsr({ csr: csrPem, issuer: root, kind: "server", days: 800, policy }));
    expect(long.code).toBe("LIFETIME_INVALID");
    expect(long.message).toBe("800 days requested; the policy allows at most 397");
    expect((await refusal(signCsr({ csr: csrPem, issuer: root, kind: "server", days: 0, policy }))).code).toBe("LIFETIME_INVALID");
    expect((await refusal(signCsr({ csr: csrPem, issuer: root, kind: "ca" as "server", days: 30, policy }))).code).toBe("PARAM_INVALID");
  });
});
