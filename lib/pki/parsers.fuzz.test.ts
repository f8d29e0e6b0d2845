import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCrl } from "./crl";
import { parseCrl } from "./crl";
import { fromBase64 } from "./bytes";
import {
  createCsr,
  createRootCa,
  derToPem,
  importPrivateKey,
  issueServerCertificate,
  loadIssuer,
  parseCertificate,
  parseCsr,
  pemToDerAll,
  PkiError,
  signCsr,
  type IssuedCa,
  type PemLabel,
} from "./index";

/**
 * Property: every parser of uploaded material answers any input with a result or a PkiError —
 * never a TypeError/RangeError, never a hang — over ≥ 1,000 generated inputs each: random text,
 * random bytes, PEM armour around random bytes, and (the strongest) valid DER with bytes flipped,
 * cut, inserted or length fields rewritten. The counts are reported in the closing note's table.
 */
export const RUNS = 1_000;
let root: IssuedCa;
const valid: Record<"certificate" | "csr" | "crl" | "key", Uint8Array> = {} as never;

const derOf = (pem: string) => fromBase64(pem.replace(/-----[^-]+-----|\s/g, ""));

beforeAll(async () => {
  root = await createRootCa({ subject: { CN: "Fuzz Root" }, days: 10 });
  valid.certificate = (
    await issueServerCertificate({
      issuer: root,
      days: 5,
      dnsNames: ["db1.example"],
      ipAddresses: ["10.0.0.1", "2001:db8::1"],
      key: { generate: "ecdsa-p256" },
    })
  ).certificateDer;
  const csr = await createCsr({ subject: { CN: "db1.example", O: "Acme" }, dnsNames: ["db1.example"], ipAddresses: ["10.0.0.1"] });
  valid.csr = derOf(csr.csrPem);
  valid.key = derOf(csr.privateKeyPem);
  const now = new Date();
  valid.crl = (
    await buildCrl({
      issuer: root,
      entries: [
        { serialHex: "0A0B0C", revokedAt: now, reason: "keyCompromise" },
        { serialHex: "0D0E", revokedAt: now },
      ],
      crlNumber: 7,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 86_400_000),
    })
  ).der;
});

/** Valid DER, damaged: flips, truncation, insertion, a rewritten length byte. */
const mutated = (source: () => Uint8Array) =>
  fc
    .tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("flip", "cut", "insert", "length", "duplicate"), fc.nat({ max: 40 }))
    .map(([position, byte, how, extra]) => {
      const der = source();
      const at = position % der.length;
      switch (how) {
        case "flip":
          return Uint8Array.from(der, (b, i) => (i === at ? b ^ (1 << (byte % 8)) : b));
        case "cut":
          return der.slice(0, at);
        case "insert":
          return Uint8Array.from([...der.slice(0, at), byte, ...der.slice(at)]);
        case "length": {
          // The byte after a tag is often a length: make it claim far more (or less) than there is.
          const copy = der.slice();
          copy[Math.min(at + 1, der.length - 1)] = [0x84, 0xff, 0x00, 0x81, byte][extra % 5]!;
          return copy;
        }
        default:
          return Uint8Array.from([...der, ...der.slice(0, extra)]);
      }
    });

const bytesInput = (source: () => Uint8Array) =>
  fc.oneof({ weight: 3, arbitrary: mutated(source) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) });
const textInput = (label: PemLabel, source: () => Uint8Array) =>
  fc.oneof(
    fc.string({ maxLength: 2048 }),
    fc.string({ unit: "binary", maxLength: 512 }),
    bytesInput(source).map((der) => derToPem(der, label)),
    fc
      .uint8Array({ maxLength: 1024 })
      .map((b) => `-----BEGIN ${label}-----\n${Buffer.from(b).toString("base64")}\n-----END ${label}-----\n`),
  );

/** Runs `parse` on every input; anything but success or a PkiError fails the property. */
async function onlyPkiErrors<T>(arbitrary: fc.Arbitrary<T>, parse: (input: T) => unknown) {
  const outcomes = { accepted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      try {
        await parse(input);
        outcomes.accepted++;
      } catch (error) {
        if (!(error instanceof PkiError)) throw error;
        expect(error.message.length).toBeGreaterThan(0);
        outcomes.refused++;
      }
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: 50_000 },
  );
  expect(outcomes.accepted + outcomes.refused).toBe(RUNS);
  return outcomes;
}

describe(`parsers under ${RUNS} generated inputs each`, () => {
  it("parseCertificate (DER and PEM)", async () => {
    await onlyPkiErrors(
      bytesInput(() => valid.certificate),
      (der) => parseCertificate(der),
    );
    await onlyPkiErrors(
      textInput("CERTIFICATE", () => valid.certificate),
      (pem) => parseCertificate(pem),
    );
  });

  it("parseCsr and signCsr (a CSR upload end to end)", async () => {
    await onlyPkiErrors(
      bytesInput(() => valid.csr),
      (der) => parseCsr(der),
    );
    await onlyPkiErrors(
      textInput("CERTIFICATE REQUEST", () => valid.csr),
      (pem) =>
        signCsr({
          csr: pem,
          issuer: root,
          kind: "server",
          policy: { maxDays: 30, allowedDnsNames: ["db1.example"], allowedIpAddresses: ["10.0.0.1"] },
        }),
    );
  });

  it("parseCrl (our bounded DER reader)", async () => {
    await onlyPkiErrors(
      bytesInput(() => valid.crl),
      (der) => parseCrl(der),
    );
    await onlyPkiErrors(
      textInput("X509 CRL", () => valid.crl),
      (pem) => parseCrl(pem),
    );
  });

  it("importPrivateKey and loadIssuer (an imported CA key)", async () => {
    await onlyPkiErrors(
      bytesInput(() => valid.key),
      (der) => importPrivateKey(der),
    );
    const issuerLoaded = await loadIssuer(root);
    expect(issuerLoaded.pathLen).not.toBeUndefined();
    await onlyPkiErrors(
      textInput("PRIVATE KEY", () => valid.key),
      (pem) => loadIssuer({ certificatePem: root.certificatePem, privateKeyPem: pem }),
    );
  });

  it("pemToDerAll (chains and CRL bundles)", async () => {
    await onlyPkiErrors(
      fc
        .tuple(
          textInput("CERTIFICATE", () => valid.certificate),
          textInput("CERTIFICATE", () => valid.certificate),
        )
        .map(([a, b]) => a + b),
      (pem) => pemToDerAll(pem, "CERTIFICATE"),
    );
  });
});
