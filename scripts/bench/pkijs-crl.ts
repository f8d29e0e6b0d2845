import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { fromHex, toArrayBuffer } from "@/lib/pki/bytes";
import type { CrlEntry } from "@/lib/pki/crl";
import { importPrivateKey } from "@/lib/pki/keys";
import { loadIssuer } from "@/lib/pki/load-issuer";

/** The naive pkijs CRL (reference only: asn1js' maxNodes stops it at ~1,250 entries). */
export async function buildPkijsCrl(
  issuerInput: { certificatePem: string; privateKeyPem: string },
  entries: CrlEntry[],
): Promise<Uint8Array> {
  const issuer = await loadIssuer(issuerInput);
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.name;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date() });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(Date.now() + 7 * 86_400_000) });
  crl.revokedCertificates = entries.map(
    (e) =>
      new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ valueHex: toArrayBuffer(fromHex(e.serialHex)) }),
        revocationDate: new pkijs.Time({ type: 0, value: e.revokedAt }),
      }),
  );
  await crl.sign((await importPrivateKey(issuerInput.privateKeyPem)).privateKey, "SHA-256");
  return new Uint8Array(crl.toSchema(true).toBER());
}
