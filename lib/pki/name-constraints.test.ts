import { afterAll, describe, expect, it } from "vitest";
import {
  createCsr,
  createRootCa,
  issueClientCertificate,
  issueServerCertificate,
  nameConstraintsFor,
  parsePermittedName,
  PkiError,
  type IssuedCa,
} from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

const verify = (root: IssuedCa, leafPem: string) =>
  ws.run(
    "verify",
    "-x509_strict",
    "-CAfile",
    ws.write(`root-${Math.random()}.pem`, root.certificatePem),
    ws.write(`leaf-${Math.random()}.pem`, leafPem),
  );

/** A leaf OpenSSL signs with our root's key, bypassing our checks: what a stolen CA key could make. */
function opensslLeaf(root: IssuedCa, san: string | null, subject = "/CN=leaf"): string {
  const id = Math.random().toString(36).slice(2);
  const rootPem = ws.write(`ca-${id}.pem`, root.certificatePem);
  const rootKey = ws.write(`ca-${id}.key`, root.privateKeyPem);
  const ext = ws.write(
    `ext-${id}.cnf`,
    `${san ? `subjectAltName=${san}\n` : ""}basicConstraints=critical,CA:FALSE\nextendedKeyUsage=${san ? "serverAuth" : "clientAuth"}\n`,
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
      `l-${id}.key`,
      "-out",
      `l-${id}.csr`,
      "-subj",
      subject,
    ).status,
  ).toBe(0);
  const signed = ws.run(
    "x509",
    "-req",
    "-in",
    `l-${id}.csr`,
    "-CA",
    rootPem,
    "-CAkey",
    rootKey,
    "-set_serial",
    "0x1234",
    "-days",
    "30",
    "-sha256",
    "-extfile",
    ext,
    "-out",
    `l-${id}.pem`,
  );
  expect(signed.status, signed.out).toBe(0);
  return ws.run("x509", "-in", `l-${id}.pem`).out;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as PkiError,
  );

describe("nameConstraints", () => {
  it("a root with permitted names carries a critical nameConstraints: openssl verify passes a leaf inside and fails one outside", async () => {
    const root = await createRootCa({
      subject: { CN: "Constrained Root" },
      days: 365,
      pathLen: 0,
      permittedNames: ["db.example", "10.0.0.0/8", "2001:db8::/32"],
    });
    const text = ws.text(root.certificatePem);
    expect(text).toMatch(
      /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:db\.example\s+IP:10\.0\.0\.0\/255\.0\.0\.0\s+IP:2001:DB8:0:0:0:0:0:0\/FFFF:FFFF:0:0:0:0:0:0/,
    );
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);

    const inside = await issueServerCertificate({
      issuer: root,
      days: 30,
      dnsNames: ["pg1.db.example", "db.example"],
      ipAddresses: ["10.1.2.3", "2001:db8::5"],
      key: { generate: "ecdsa-p256" },
    });
    expect(verify(root, inside.certificatePem).out).toMatch(/: OK\s*$/);

    for (const san of ["DNS:pg1.other.example", "DNS:notdb.example", "IP:192.0.2.1", "IP:2001:db9::1"]) {
      const result = verify(root, opensslLeaf(root, san));
      expect(result.status, san).not.toBe(0);
      expect(result.out, san).toMatch(/permitted subtree violation/);
    }
  });

  it("a DNS-only list excludes every IP address, so 'only db.example' allows no IP either (openssl agrees)", async () => {
    const constraints = nameConstraintsFor(["db.example"]);
    expect(constraints?.excluded.map((s) => s.type)).toEqual(["ip", "ip"]);
    const root = await createRootCa({ subject: { CN: "DNS-only Root" }, days: 365, pathLen: 0, permittedNames: ["db.example"] });
    expect(ws.text(root.certificatePem)).toMatch(/Excluded:\s+IP:0\.0\.0\.0\/0\.0\.0\.0\s+IP:0:0:0:0:0:0:0:0\/0:0:0:0:0:0:0:0/);
    expect(verify(root, opensslLeaf(root, "DNS:a.db.example")).out).toMatch(/: OK\s*$/);
    expect(verify(root, opensslLeaf(root, "DNS:a.db.example,IP:10.0.0.1")).out).toMatch(/excluded subtree violation/);
  });

  it("issuance refuses, before signing, a name outside the issuing CA's constraints or the cluster's permitted names", async () => {
    const root = await createRootCa({ subject: { CN: "Constrained Root" }, days: 365, pathLen: 0, permittedNames: ["db.example"] });
    const outside = await refusal(
      issueServerCertificate({ issuer: root, days: 30, dnsNames: ["pg1.db.example", "evil.example"], key: { generate: "ecdsa-p256" } }),
    );
    expect(outside).toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: expect.stringContaining('evil.example is outside the nameConstraints of CA "Constrained Root" (permitted: db.example)'),
    });
    const ip = await refusal(
      issueServerCertificate({
        issuer: root,
        days: 30,
        dnsNames: ["pg1.db.example"],
        ipAddresses: ["10.0.0.1"],
        key: { generate: "ecdsa-p256" },
      }),
    );
    expect(ip).toMatchObject({ code: "NAME_NOT_PERMITTED" });

    // An unconstrained CA (made before the setting) still refuses what the cluster no longer permits.
    const open = await createRootCa({ subject: { CN: "Open Root" }, days: 365, pathLen: 0 });
    const policy = await refusal(
      issueServerCertificate({
        issuer: open,
        days: 30,
        dnsNames: ["pg1.other.example"],
        namePolicy: { permittedNames: ["db.example"] },
        key: { generate: "ecdsa-p256" },
      }),
    );
    expect(policy).toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: "pg1.other.example is outside the cluster's permitted names (permitted: db.example)",
    });
  });

  it("refuses a client certificate whose CN OpenSSL would check as a host name outside the constraints (database user app.reader)", async () => {
    const root = await createRootCa({ subject: { CN: "Constrained Root" }, days: 365, pathLen: 0, permittedNames: ["db.example"] });
    const leaf = async (databaseUser: string) =>
      issueClientCertificate({ issuer: root, days: 30, databaseUser, key: { generate: "ecdsa-p256" } });
    for (const user of ["app", "app_rw", "app$ro", "svc.db.example"]) {
      const issued = await leaf(user);
      expect(
        ws.run(
          "verify",
          "-purpose",
          "sslclient",
          "-CAfile",
          ws.write("c-root.pem", root.certificatePem),
          ws.write("c-leaf.pem", issued.certificatePem),
        ).out,
        user,
      ).toMatch(/: OK\s*$/);
    }
    await expect(leaf("app.reader")).rejects.toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: expect.stringContaining("app.reader is outside the nameConstraints"),
    });
    // What the refusal prevents: the same certificate, signed anyway (by OpenSSL), fails verification.
    const refused = verify(root, opensslLeaf(root, null, "/CN=app.reader"));
    expect(refused.out).toMatch(/permitted subtree violation/);
  });

  it("an intermediate CA's CSR asks for the same constraints", async () => {
    const { csrPem } = await createCsr({ subject: { CN: "Issuing CA" }, ca: true, permittedNames: ["db.example", "192.0.2.0/24"] });
    const text = ws.run("req", "-in", ws.write("int.csr", csrPem), "-noout", "-text").out;
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:db\.example\s+IP:192\.0\.2\.0\/255\.255\.255\.0/);
  });

  it("parses permitted names and names what is wrong", () => {
    expect(parsePermittedName(" DB.Example ")).toEqual({ type: "dns", suffix: "db.example" });
    expect(parsePermittedName("192.0.2.7")).toMatchObject({ type: "ip", mask: Uint8Array.of(255, 255, 255, 255) });
    expect(parsePermittedName("10.128.0.0/9")).toMatchObject({
      type: "ip",
      address: Uint8Array.of(10, 128, 0, 0),
      mask: Uint8Array.of(255, 128, 0, 0),
    });
    for (const [bad, message] of [
      ["10.0.0.1/8", '"10.0.0.1/8" has host bits set; the range is 10.0.0.0/8'],
      ["10.0.0.0/33", "not an IP range"],
      ["2001:db8::/129", "not an IP range"],
      ["*.db.example", "not a wildcard"],
      ["db..example", "not a valid DNS name"],
      ["10.0.0.0/8/8", "not an IP range"],
    ]) {
      expect(() => parsePermittedName(bad!), bad).toThrow(message);
    }
  });
});

describe("server certificate names and lifetime", () => {
  it("refuses wildcard names unless the policy allows them", async () => {
    const root = await createRootCa({ subject: { CN: "Root" }, days: 365, pathLen: 0 });
    const refused = await refusal(
      issueServerCertificate({ issuer: root, days: 30, dnsNames: ["*.db.example"], key: { generate: "ecdsa-p256" } }),
    );
    expect(refused).toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: expect.stringContaining("*.db.example: wildcard names are not allowed"),
    });
    const allowed = await issueServerCertificate({
      issuer: root,
      days: 30,
      dnsNames: ["pg.db.example", "*.db.example"],
      namePolicy: { allowWildcards: true },
      key: { generate: "ecdsa-p256" },
    });
    expect(allowed.dnsNames).toEqual(["pg.db.example", "*.db.example"]);
  });

  it("caps a server certificate at 398 days, notBefore through notAfter inclusive", async () => {
    const root = await createRootCa({ subject: { CN: "Root" }, days: 3650, pathLen: 0 });
    const refused = await refusal(
      issueServerCertificate({ issuer: root, days: 399, dnsNames: ["db.example"], key: { generate: "ecdsa-p256" } }),
    );
    expect(refused).toMatchObject({ code: "LIFETIME_INVALID", message: expect.stringContaining("at most 398 days") });
    const longest = await issueServerCertificate({ issuer: root, days: 398, dnsNames: ["db.example"], key: { generate: "ecdsa-p256" } });
    expect(longest.notAfter.getTime() - longest.notBefore.getTime() + 1000).toBe(398 * 86_400_000);
  });
});
