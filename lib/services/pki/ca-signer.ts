import "server-only";
import { loadIssuer, type Issuer } from "@/lib/pki";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";

/** A CA as stored: its certificate and its private key sealed under a master key. */
export type StoredCa = { certificatePem: string; envelope: string };

/**
 * The one door to a stored CA key: envelope → PKCS#8 PEM → WebCrypto key → signer, checked
 * against the CA's certificate (lib/pki loadIssuer). The PEM lives only for this call. A CA whose
 * key is held by a KMS or an HSM would answer loadIssuer({ certificatePem, signer }) here
 * instead: lib/pki signs through Signer.sign and never needs the key.
 */
export async function openCaIssuer({ certificatePem, envelope }: StoredCa, keys: readonly MasterKey[], now?: Date): Promise<Issuer> {
  return loadIssuer({ certificatePem, privateKeyPem: decryptSecret(envelope, keys).toString("utf8") }, now);
}

/**
 * The key of an intermediate CA waiting for its external root's signature, as PKCS#8 PEM: it is
 * checked against the signed certificate and sealed again into the new CA row (sealCaKey).
 */
export function openPendingCaKey(envelope: string, keys: readonly MasterKey[]): string {
  return decryptSecret(envelope, keys).toString("utf8");
}

/** A new CA key (generated, uploaded, or pending an external signature) sealed for storage. */
export function sealCaKey(privateKeyPem: string, masterKey: MasterKey): string {
  return encryptSecret(privateKeyPem, masterKey);
}
