import { buildCertificate } from "./build-certificate";
import { BACKDATE_MS, caExtensions, checkDays, checkPathLen, toIssuedCa, type IssuedCa } from "./create-root-ca";
import { PkiError } from "./errors";
import type { KeyAlgorithm } from "./key-algorithms";
import { exportPublicKeySpki, generateKeyPair } from "./keys";
import { describeCertificate, loadIssuer, type Issuer, type IssuerInput } from "./load-issuer";
import { keyIdentifier } from "./public-key";
import { randomSerial } from "./serial";
import { buildNameDer, type Subject } from "./subject";

const DAY_MS = 86_400_000;

export type CreateIntermediateCaParams = {
  /** The parent: one of ours, or an external root given as PEM certificate + key. */
  issuer: IssuerInput | Issuer;
  subject: Subject;
  keyAlgorithm?: KeyAlgorithm;
  days: number;
  /** Default 0: an intermediate that signs leaves only. */
  pathLen?: number;
  now?: Date;
};

/** A CA certificate signed by another CA; its lifetime is cut to the parent's, like a leaf's. */
export async function createIntermediateCa({
  issuer: issuerInput,
  subject,
  keyAlgorithm = "ecdsa-p256",
  days,
  pathLen = 0,
  now = new Date(),
}: CreateIntermediateCaParams): Promise<IssuedCa> {
  checkDays(days, "CA");
  checkPathLen(pathLen);
  const name = buildNameDer(subject);
  const issuer = await loadIssuer(issuerInput, now);
  // RFC 5280 §4.2.1.9: a parent with pathLen n allows at most n CAs below it; openssl verify
  // would reject every leaf under an intermediate that breaks this, so refuse to make one.
  if (issuer.pathLen !== null && pathLen >= issuer.pathLen) {
    const parent = describeCertificate(issuer.certificate);
    throw new PkiError(
      "ISSUER_INVALID",
      issuer.pathLen === 0
        ? `CA "${parent}" has pathLen 0 and may not sign intermediate CAs`
        : `CA "${parent}" has pathLen ${issuer.pathLen}; an intermediate below it needs pathLen < ${issuer.pathLen} (got ${pathLen})`,
    );
  }
  const keys = await generateKeyPair({ algorithm: keyAlgorithm });
  const spki = await exportPublicKeySpki(keys.publicKey);
  const requested = new Date(now.getTime() + days * DAY_MS);
  const built = await buildCertificate({
    serial: randomSerial(),
    subject: name,
    issuer: issuer.nameDer,
    subjectPublicKey: spki,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: requested > issuer.notAfter ? issuer.notAfter : requested,
    extensions: caExtensions(pathLen, await keyIdentifier(spki), issuer.keyId),
    signer: issuer.signer,
  });
  return toIssuedCa(built, keys);
}
