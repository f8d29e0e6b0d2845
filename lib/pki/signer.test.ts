import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { buildCrl, createIntermediateCa, createRootCa, issueServerCertificate, loadIssuer, PkiError, type KeyAlgorithm } from "./index";
import type { Signer } from "./signing";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

const HASH: Record<KeyAlgorithm, string | null> = {
  "ecdsa-p256": "sha256",
  "ecdsa-p384": "sha384",
  "rsa-2048": "sha256",
  "rsa-3072": "sha256",
  "rsa-4096": "sha256",
  ed25519: null,
};

/**
 * A signer with no WebCrypto key behind it: node:crypto signs with a KeyObject, as a KMS or HSM
 * client would sign remotely. node:crypto already answers ECDSA in DER, as X.509 carries it.
 */
function keyObjectSigner(key: KeyObject, algorithm: KeyAlgorithm): Signer & { calls: number } {
  const signer = {
    algorithm,
    calls: 0,
    async sign(bytes: Uint8Array) {
      signer.calls++;
      return new Uint8Array(sign(HASH[algorithm], bytes, key));
    },
  };
  return signer;
}

const now = new Date();
const week = new Date(now.getTime() + 7 * 86_400_000);

describe.each<KeyAlgorithm>(["ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"])(
  "a CA whose key signs outside WebCrypto (%s)",
  (algorithm) => {
    it("signs an intermediate CA, a server certificate and a CRL that openssl verifies", async () => {
      const root = await createRootCa({ subject: { CN: `Seam root ${algorithm}` }, keyAlgorithm: algorithm, days: 365, pathLen: 1 });
      const signer = keyObjectSigner(createPrivateKey(root.privateKeyPem), algorithm);
      const issuer = await loadIssuer({ certificatePem: root.certificatePem, signer });

      const intermediate = await createIntermediateCa({
        issuer,
        subject: { CN: `Seam intermediate ${algorithm}` },
        keyAlgorithm: "ecdsa-p256",
        days: 100,
      });
      const server = await issueServerCertificate({ issuer, days: 30, dnsNames: ["db1.seam.example"], key: { generate: "ecdsa-p256" } });
      const crl = await buildCrl({
        issuer,
        entries: [{ serialHex: server.serialHex, revokedAt: now, reason: "keyCompromise" }],
        crlNumber: 5,
        thisUpdate: now,
        nextUpdate: week,
      });
      // One probe when loading, then one signature per artifact: every one came from the KeyObject.
      expect(signer.calls).toBe(4);

      const rootFile = ws.write(`seam-root-${algorithm}.pem`, root.certificatePem);
      for (const [name, pem] of [
        ["intermediate", intermediate.certificatePem],
        ["server", server.certificatePem],
      ] as const) {
        const verified = ws.run("verify", "-x509_strict", "-CAfile", rootFile, ws.write(`seam-${name}-${algorithm}.pem`, pem));
        expect(verified.out, name).toMatch(/: OK\s*$/);
        expect(verified.status).toBe(0);
      }
      const crlCheck = ws.run(
        "crl",
        "-in",
        ws.write(`seam-${algorithm}.crl`, crl.der),
        "-inform",
        "DER",
        "-CAfile",
        rootFile,
        "-noout",
        "-text",
      );
      expect(crlCheck.out).toContain("verify OK");
      expect(crlCheck.out).toContain(`Serial Number: ${server.serialHex}`);
    });
  },
);

describe("signers that do not fit their CA", () => {
  it("refuses a signer holding another key, or of another key type, before it signs anything", async () => {
    const root = await createRootCa({ subject: { CN: "Seam root" }, days: 30 });
    const other = await createRootCa({ subject: { CN: "Other root" }, days: 30 });
    const wrongKey = keyObjectSigner(createPrivateKey(other.privateKeyPem), "ecdsa-p256");
    await expect(loadIssuer({ certificatePem: root.certificatePem, signer: wrongKey })).rejects.toMatchObject({
      code: "KEY_MISMATCH",
      message: `the signer's key does not belong to CA "Seam root"`,
    });
    const wrongType = keyObjectSigner(createPrivateKey(other.privateKeyPem), "ecdsa-p384");
    await expect(loadIssuer({ certificatePem: root.certificatePem, signer: wrongType })).rejects.toMatchObject({
      code: "KEY_MISMATCH",
      message: expect.stringMatching(/ecdsa-p384 signer cannot sign for CA "Seam root", whose key is ECDSA P-256/),
    });
  });

  it("refuses an ECDSA signer that answers r‖s (IEEE P1363) instead of DER", async () => {
    const root = await createRootCa({ subject: { CN: "P1363 root" }, days: 30 });
    const key = createPrivateKey(root.privateKeyPem);
    const raw: Signer = {
      algorithm: "ecdsa-p256",
      sign: async (bytes) => new Uint8Array(sign("sha256", bytes, { key, dsaEncoding: "ieee-p1363" })),
    };
    const refused = await loadIssuer({ certificatePem: root.certificatePem, signer: raw }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PkiError);
    expect(refused).toMatchObject({
      code: "SIGNER_INVALID",
      message: expect.stringContaining("64 bytes that are not a DER Ecdsa-Sig-Value"),
    });
  });
});
