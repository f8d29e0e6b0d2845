import { buildCertificate } from "./build-certificate";
import { BACKDATE_MS, caExtensions, checkDays, toIssuedCa, type IssuedCa } from "./create-root-ca";
import type { KeyAlgorithm } from "./key-algorithms";
import { exportPublicKeySpki, generateKeyPair, keyIdentifier } from "./keys";
import { loadIssuer, type Issuer, type IssuerInput } from "./load-issuer";
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

export async function createIntermediateCa({ issuer: issuerInput, subject, keyAlgorithm = "ecdsa-p256", days, pathLen = 0, now = new Date() }: CreateIntermediateCaParams): Promise<IssuedCa> {
  checkDays(days, "CA");
  const issuer = await loadIssuer(issuerInput, now);
  const keys = await generateKeyPair(keyAlgorithm);
  const spki = await exportPublicKeySpki(keys.publicKey);
  const requested = new Date(now.getTime() + days * DAY_MS);
  const built = await buildCertificate({
    serial: randomSerial(),
    subject: buildNameDer(subject),
    issuer: issuer.nameDer,
    subjectPublicKey: spki,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: requested > issuer.notAfter ? issuer.notAfter : requested,
    extensions: caExtensions(pathLen, await keyIdentifier(spki), issuer.keyId),
    signer: issuer.signer,
  });
  return toIssuedCa(built, keys);
}
