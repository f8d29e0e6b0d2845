import { beforeAll, describe, expect, it } from "vitest";
import { fromBase64 } from "./bytes";
import {
  buildChain,
  buildPkcs12,
  createCsr,
  createRootCa,
  describeSpki,
  exportPrivateKeyPkcs8,
  exportPublicKeySpki,
  importPrivateKey,
  importPublicKey,
  issueServerCertificate,
  loadIssuer,
  parseCertificate,
  parseCsr,
  pemToDerAll,
  PkiError,
  serialFromHex,
  signCsr,
  verifyChain,
  type IssuedCa,
} from "./index";

/**
 * Every public parser gets hostile input (uploads, API bodies, files an admin pastes): each must
 * answer with a PkiError carrying the fitting code, never a TypeError, a RangeError or a hang.
 */
let root: IssuedCa;
let certDer: Uint8Array;
let csrPem: string;
let csrDer: Uint8Array;
let pkcs8Der: Uint8Array;
let spkiDer: Uint8Array;

const derOf = (pem: string) => fromBase64(pem.replace(/-----[^-]+-----|\s/g, ""));

beforeAll(async () => {
  root = await createRootCa({ subject: { CN: "Corpus Root" }, days: 10 });
  // A server leaf: SAN (DNS, IPv4, IPv6), EKU, AKI: the most extensions for the fuzzer to break.
  certDer = (
    await issueServerCertificate({
      issuer: root,
      days: 5,
      dnsNames: ["db1.example", "*.pg.example"],
      ipAddresses: ["10.0.0.1", "2001:db8::1"],
      namePolicy: { allowWildcards: true },
      key: { generate: "ecdsa-p256" },
    })
  ).certificateDer;
  const csr = await createCsr({ subject: { CN: "db1.example" }, dnsNames: ["db1.example"], ipAddresses: ["10.0.0.1"] });
  csrPem = csr.csrPem;
  csrDer = derOf(csrPem);
  const key = await importPrivateKey(csr.privateKeyPem);
  pkcs8Der = await exportPrivateKeyPkcs8(key.privateKey);
  spkiDer = await exportPublicKeySpki(key.publicKey);
});

async function codeOf(attempt: () => unknown): Promise<string> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof PkiError) return error.code;
    throw new Error(`expected a PkiError, got ${String(error)}`, { cause: error });
  }
  return "OK";
}

/** Nested SEQUENCEs, definite lengths: a stack-depth attack on a recursive parser. */
function deeplyNested(depth: number): Uint8Array {
  let inner = Uint8Array.of(0x05, 0x00);
  for (let i = 0; i < depth; i++) {
    const len = inner.length;
    const header =
      len < 0x80
        ? [0x30, len]
        : len < 0x100
          ? [0x30, 0x81, len]
          : len < 0x10000
            ? [0x30, 0x82, len >> 8, len & 0xff]
            : [0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
    inner = Uint8Array.from([...header, ...inner]);
  }
  return inner;
}

describe("bad-input corpus", () => {
  it("certificates: empty, wrong label, garbage base64, truncated, trailing bytes, oversized, nested, wrong types", async () => {
    const certPem = root.certificatePem;
    const corpus: [string, unknown, string][] = [
      ["empty string", "", "PEM_INVALID"],
      ["whitespace", "  \n ", "PEM_INVALID"],
      ["no PEM", "hello", "PEM_INVALID"],
      ["private key PEM", root.privateKeyPem, "PEM_INVALID"],
      ["root DER (sanity: the corpus input is valid)", root.certificateDer, "OK"],
      ["CSR PEM", csrPem, "PEM_INVALID"],
      ["two certificates", certPem + certPem, "PEM_INVALID"],
      ["garbage base64", "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n", "PEM_INVALID"],
      ["bad padding", "-----BEGIN CERTIFICATE-----\nMIIB=A==\n-----END CERTIFICATE-----\n", "PEM_INVALID"],
      ["empty block", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "PEM_INVALID"],
      ["empty bytes", new Uint8Array(0), "DER_INVALID"],
      ["truncated DER", certDer.subarray(0, certDer.length - 10), "DER_INVALID"],
      ["truncated to the header", certDer.subarray(0, 4), "DER_INVALID"],
      ["trailing bytes", Uint8Array.from([...certDer, 0x00]), "DER_INVALID"],
      ["tiny SEQUENCE", Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), "DER_INVALID"],
      ["CSR DER as a certificate", csrDer, "DER_INVALID"],
      ["nested 3000 deep", deeplyNested(3000), "DER_INVALID"],
      ["oversized DER", new Uint8Array(300 * 1024), "INPUT_TOO_LARGE"],
      ["oversized PEM", "x".repeat(300 * 1024), "INPUT_TOO_LARGE"],
      [
        "oversized PEM bytes",
        new TextEncoder().encode(`-----BEGIN CERTIFICATE-----\n${"A".repeat(300 * 1024)}\n-----END CERTIFICATE-----\n`),
        "INPUT_TOO_LARGE",
      ],
      ["one block over 64 KiB", `-----BEGIN CERTIFICATE-----\n${"AAAA".repeat(23 * 1024)}\n-----END CERTIFICATE-----\n`, "INPUT_TOO_LARGE"],
      ["null", null, "PEM_INVALID"],
      ["a number", 42, "PEM_INVALID"],
    ];
    for (const [name, input, code] of corpus) {
      expect(await codeOf(() => parseCertificate(input as string)), name).toBe(code);
    }
    // A CRLF PEM with text around it (as `openssl x509 -text` writes) is fine.
    expect(await codeOf(() => parseCertificate(`Certificate:\r\n  junk\r\n${certPem.replace(/\n/g, "\r\n")}`))).toBe("OK");
  });

  it("CSRs, keys, chains, issuers and bundles refuse bad input with their codes", async () => {
    const tampered = Uint8Array.from(csrDer);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 0xff;
    const policy = { maxDays: 30 };
    const otherCa = await createRootCa({ subject: { CN: "Other" }, days: 5 });
    const leaf = await issueServerCertificate({ issuer: root, days: 5, dnsNames: ["x.example"], key: { generate: "ecdsa-p256" } });
    const cases: [string, () => unknown, string][] = [
      ["CSR empty", () => parseCsr(""), "PEM_INVALID"],
      ["CSR as certificate label", () => parseCsr(csrPem.replace(/CERTIFICATE REQUEST/g, "CERTIFICATE")), "PEM_INVALID"],
      ["CSR truncated", () => parseCsr(csrDer.subarray(0, 40)), "DER_INVALID"],
      ["CSR certificate DER", () => parseCsr(certDer), "DER_INVALID"],
      ["CSR oversized", () => parseCsr(new Uint8Array(500_000)), "INPUT_TOO_LARGE"],
      ["CSR tampered signature", () => signCsr({ csr: tampered, issuer: root, kind: "server", policy }), "CSR_SIGNATURE_INVALID"],
      ["private key empty", () => importPrivateKey(""), "PEM_INVALID"],
      ["private key 3 bytes", () => importPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "DER_INVALID"],
      ["private key truncated", () => importPrivateKey(pkcs8Der.subarray(0, pkcs8Der.length - 8)), "DER_INVALID"],
      ["private key is an SPKI", () => importPrivateKey(spkiDer), "DER_INVALID"],
      ["public key empty bytes", () => importPublicKey(new Uint8Array(0)), "DER_INVALID"],
      ["public key is a PKCS#8", () => importPublicKey(pkcs8Der), "DER_INVALID"],
      ["describeSpki garbage", () => describeSpki(Uint8Array.of(1, 2, 3)), "DER_INVALID"],
      ["PEM list wrong label", () => pemToDerAll(root.certificatePem + root.privateKeyPem, "CERTIFICATE"), "PEM_INVALID"],
      [
        "encrypted key",
        () => importPrivateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"),
        "PEM_INVALID",
      ],
      ["issuer with garbage key", () => loadIssuer({ certificatePem: root.certificatePem, privateKeyPem: "nope" }), "PEM_INVALID"],
      [
        "issuer with another CA's key",
        () => loadIssuer({ certificatePem: root.certificatePem, privateKeyPem: otherCa.privateKeyPem }),
        "KEY_MISMATCH",
      ],
      [
        "chain to the wrong root",
        () => verifyChain({ leafPem: leaf.certificatePem, trustedRootsPem: [otherCa.certificatePem] }),
        "CHAIN_INVALID",
      ],
      [
        "chain, expired",
        () => verifyChain({ leafPem: leaf.certificatePem, trustedRootsPem: [root.certificatePem], now: new Date("2099-01-01") }),
        "CHAIN_INVALID",
      ],
      [
        "chain, not yet valid",
        () => verifyChain({ leafPem: leaf.certificatePem, trustedRootsPem: [root.certificatePem], now: new Date("2001-01-01") }),
        "CHAIN_INVALID",
      ],
      ["chain, garbage pool", () => buildChain(leaf.certificatePem, ["garbage"]), "PEM_INVALID"],
      [
        "p12 garbage certificate",
        () => buildPkcs12({ certificatePem: "x", privateKeyPem: root.privateKeyPem, password: "pw" }),
        "PEM_INVALID",
      ],
      ["serial not hex", () => serialFromHex("zz"), "NAME_INVALID"],
      ["serial over 20 octets", () => serialFromHex("01".repeat(21)), "NAME_INVALID"],
    ];
    for (const [name, attempt, code] of cases) {
      expect(await codeOf(attempt), name).toBe(code);
    }
  });

  it("random truncations and byte flips of every artifact give a result or a PkiError, nothing else", async () => {
    // Deterministic (mulberry32), so a failure reproduces.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const mutate = (bytes: Uint8Array): Uint8Array => {
      const out = Uint8Array.from(bytes);
      const at = Math.floor(random() * out.length);
      const kind = random();
      if (kind < 0.3) return out.subarray(0, at);
      if (kind < 0.6) out[at] = out[at]! ^ (1 << Math.floor(random() * 8));
      else if (kind < 0.8) out[at] = Math.floor(random() * 256);
      else out[at] = 0x84; // a long-form length that claims gigabytes
      return out;
    };
    const targets: [string, Uint8Array, (input: Uint8Array) => unknown][] = [
      ["certificate", certDer, (input) => parseCertificate(input)],
      ["csr", csrDer, (input) => parseCsr(input)],
      ["pkcs8", pkcs8Der, (input) => importPrivateKey(input)],
      ["spki", spkiDer, (input) => importPublicKey(input)],
    ];
    const outcomes = new Map<string, number>();
    for (const [name, original, parse] of targets) {
      for (let i = 0; i < 250; i++) {
        const code = await codeOf(() => parse(mutate(original)));
        outcomes.set(`${name}:${code}`, (outcomes.get(`${name}:${code}`) ?? 0) + 1);
      }
    }
    // The mutations really broke things (not all "OK"), and DER_INVALID is the usual answer.
    for (const [name] of targets) expect(outcomes.get(`${name}:DER_INVALID`) ?? 0, name).toBeGreaterThan(50);
  });
});
