import { exportPrivateKeyPem, exportPublicKeySpki, generateKeyPair, type KeyPair } from "./keys";
import { keyIdentifier } from "./public-key";
import type { KeyAlgorithm } from "./key-algorithms";
import { buildCertificate, type BuiltCertificate } from "./build-certificate";
import { authorityKeyIdentifier, basicConstraints, keyUsage, subjectKeyIdentifier } from "./extensions";
import { PkiError } from "./errors";
import { nameConstraintsExtension, nameConstraintsFor } from "./name-constraints";
import { randomSerial } from "./serial";
import { cryptoKeySigner } from "./signing";
import { buildNameDer, type Subject } from "./subject";

export type CreateRootCaParams = {
  subject: Subject;
  keyAlgorithm?: KeyAlgorithm;
  days: number;
  /** Intermediates allowed below this root (basicConstraints pathLen); undefined = unlimited. */
  pathLen?: number;
  /** DNS suffixes and IP ranges this CA may certify (a critical nameConstraints); empty = any. */
  permittedNames?: readonly string[];
  now?: Date;
};

export type IssuedCa = {
  certificatePem: string;
  certificateDer: Uint8Array;
  privateKeyPem: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: KeyAlgorithm;
};

/** Backdating absorbs clock skew between this server and the PostgreSQL nodes that check the dates. */
export const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 86_400_000;

/** 1 day to 100 years; checked before any key is generated. */
export function checkDays(days: number, what: string): void {
  if (!Number.isInteger(days) || days < 1 || days > 36_500)
    throw new PkiError("LIFETIME_INVALID", `${what} lifetime must be 1 to 36500 days (got ${days})`);
}

/** A self-signed root CA: CA:true critical with pathLen, keyCertSign + cRLSign, SKI = AKI. */
export async function createRootCa({
  subject,
  keyAlgorithm = "ecdsa-p256",
  days,
  pathLen,
  permittedNames = [],
  now = new Date(),
}: CreateRootCaParams): Promise<IssuedCa> {
  checkDays(days, "CA");
  checkPathLen(pathLen);
  const constraints = nameConstraintsFor(permittedNames);
  const name = buildNameDer(subject);
  const keys = await generateKeyPair({ algorithm: keyAlgorithm });
  const spki = await exportPublicKeySpki(keys.publicKey);
  const keyId = await keyIdentifier(spki);
  const built = await buildCertificate({
    serial: randomSerial(),
    subject: name,
    issuer: name,
    subjectPublicKey: spki,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
    extensions: [...caExtensions(pathLen, keyId, keyId), ...(constraints ? [nameConstraintsExtension(constraints)] : [])],
    signer: cryptoKeySigner(keys),
  });
  return toIssuedCa(built, keys);
}

export function checkPathLen(pathLen: number | undefined): void {
  if (pathLen !== undefined && (!Number.isInteger(pathLen) || pathLen < 0 || pathLen > 16))
    throw new PkiError("PARAM_INVALID", `pathLen must be an integer from 0 to 16 (got ${pathLen})`);
}

/** What every CA carries: CA:true + pathLen (critical), keyCertSign + cRLSign (critical), SKI, AKI. */
export function caExtensions(pathLen: number | undefined, subjectKeyId: Uint8Array, authorityKeyId: Uint8Array) {
  return [
    basicConstraints(true, pathLen),
    keyUsage(["digitalSignature", "keyCertSign", "cRLSign"]),
    subjectKeyIdentifier(subjectKeyId),
    authorityKeyIdentifier(authorityKeyId),
  ];
}

export async function toIssuedCa(built: BuiltCertificate, keys: KeyPair): Promise<IssuedCa> {
  return {
    certificatePem: built.pem,
    certificateDer: built.der,
    privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
    serialHex: built.serialHex,
    notBefore: built.notBefore,
    notAfter: built.notAfter,
    keyAlgorithm: keys.algorithm,
  };
}
