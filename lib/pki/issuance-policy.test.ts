import { describe, expect, it } from "vitest";
import { createCsr, parseCsr } from "./csr";
import { findPolicyViolation, issuancePolicyFor, type IssuanceRequest } from "./issuance-policy";

const cluster = {
  serverCertDays: 397,
  clientCertDays: 365,
  allowWildcardNames: false,
  permittedNames: ["orders.internal", "10.20.0.0/16"],
};
const policy = issuancePolicyFor(cluster);
const ok: IssuanceRequest = {
  kind: "server",
  days: 30,
  dnsNames: ["db1.orders.internal"],
  ipAddresses: ["10.20.1.5"],
  key: { generate: "ecdsa-p256" },
};
const codeOf = (request: Partial<IssuanceRequest>) => findPolicyViolation(policy, { ...ok, ...request })?.code ?? null;

describe("issuancePolicyFor", () => {
  it("reads lifetimes, names and keys from the cluster, and clamps a server lifetime saved before the 398-day cap", () => {
    expect(policy).toMatchObject({
      maxDays: { server: 397, client: 365 },
      names: { allowWildcards: false, permittedNames: cluster.permittedNames },
      minRsaBits: 2048,
    });
    expect(policy.keyAlgorithms).toEqual(["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519"]);
    expect(issuancePolicyFor({ ...cluster, serverCertDays: 825 }).maxDays.server).toBe(398);
  });
});

describe("findPolicyViolation", () => {
  it("allows a request inside every rule", () => {
    expect(codeOf({})).toBeNull();
    expect(codeOf({ kind: "client", days: 365, dnsNames: [], ipAddresses: [] })).toBeNull();
  });

  it("refuses a lifetime past the kind's maximum, or not a whole number of days, on the days field", () => {
    expect(findPolicyViolation(policy, { ...ok, days: 398 })).toEqual({
      code: "LIFETIME_OUT_OF_RANGE",
      field: "days",
      message: "days: this cluster issues server certificates for at most 397 days",
      hint: "At most 397",
    });
    expect(findPolicyViolation(policy, { kind: "client", days: 366 })).toMatchObject({
      field: "days",
      message: "days: this cluster issues client certificates for at most 365 days",
    });
    for (const days of [0, -1, 1.5, Number.NaN])
      expect(findPolicyViolation(policy, { ...ok, days })).toMatchObject({
        code: "LIFETIME_OUT_OF_RANGE",
        hint: "A whole number, at least 1",
      });
  });

  it("judges the lifetime alone when the key and names are not known yet (a CSR not parsed)", () => {
    expect(findPolicyViolation(policy, { kind: "server", days: 30 })).toBeNull();
    expect(findPolicyViolation(policy, { kind: "server", days: 500 })?.code).toBe("LIFETIME_OUT_OF_RANGE");
  });

  it("refuses RSA below the minimum and key types it does not accept", () => {
    expect(findPolicyViolation(policy, { ...ok, key: { described: { algorithm: null, name: "RSA 1024", bits: 1024 } } })).toEqual({
      code: "KEY_TOO_WEAK",
      field: "key",
      message: "the key is RSA 1024; at least RSA 2048 is required",
    });
    expect(codeOf({ key: { described: { algorithm: null, name: "EC curve secp256k1", bits: 0 } } })).toBe("KEY_UNSUPPORTED");
    expect(findPolicyViolation({ ...policy, keyAlgorithms: ["ecdsa-p256"] }, { ...ok, key: { generate: "rsa-2048" } })).toMatchObject({
      code: "KEY_UNSUPPORTED",
      message: "the key is RSA 2048; this cluster accepts ecdsa-p256",
    });
  });

  it("refuses wildcards unless the cluster allows them, and names outside its permitted names", () => {
    expect(findPolicyViolation(policy, { ...ok, dnsNames: ["*.orders.internal"] })).toEqual({
      code: "NAME_NOT_PERMITTED",
      field: "names",
      message: "*.orders.internal: wildcard names are not allowed in this cluster (allow them in its settings)",
    });
    expect(
      findPolicyViolation({ ...policy, names: { ...policy.names, allowWildcards: true } }, { ...ok, dnsNames: ["*.orders.internal"] }),
    ).toBeNull();
    expect(findPolicyViolation(policy, { ...ok, dnsNames: ["DB2.Payments.internal"] })).toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: "db2.payments.internal is outside the cluster's permitted names (permitted: orders.internal, 10.20.0.0/16)",
    });
    expect(codeOf({ ipAddresses: ["192.0.2.1"] })).toBe("NAME_NOT_PERMITTED");
  });

  it("reports the first rule broken: lifetime, then key, then names", () => {
    const weak = { described: { algorithm: null, name: "RSA 1024", bits: 1024 } };
    expect(codeOf({ days: 9999, key: weak, dnsNames: ["*.x.example"] })).toBe("LIFETIME_OUT_OF_RANGE");
    expect(codeOf({ key: weak, dnsNames: ["*.x.example"] })).toBe("KEY_TOO_WEAK");
  });

  it("gives a generated key and the same key type from a CSR the same answer", async () => {
    const narrow = { ...policy, keyAlgorithms: ["ecdsa-p256" as const] };
    for (const algorithm of ["ecdsa-p256", "ecdsa-p384", "ed25519"] as const) {
      const described = (await parseCsr((await createCsr({ subject: { CN: "app" }, keyAlgorithm: algorithm })).csrPem)).key;
      const generated = findPolicyViolation(narrow, { kind: "client", days: 1, key: { generate: algorithm } });
      expect(findPolicyViolation(narrow, { kind: "client", days: 1, key: { described } })).toEqual(generated);
    }
  });
});
