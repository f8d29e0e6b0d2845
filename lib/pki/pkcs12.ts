import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer, toHex } from "./bytes";
import { PkiError } from "./errors";
import { exportPublicKeySpki, importPrivateKey } from "./keys";
import { decodeCertificate, describeCertificate } from "./load-issuer";
import { pemToDer, pemToDerAll } from "./pem";

export type BuildPkcs12Params = {
  certificatePem: string;
  privateKeyPem: string;
  /** CA certificates to include (root, intermediates). */
  caCertificatesPem?: string[];
  password: string;
  /** pgJDBC's PKCS12KeyManager looks the key up under the alias "user" (its friendlyName bag attribute, RFC 7292 §4.2). */
  friendlyName?: string;
};

const OID_FRIENDLY_NAME = "1.2.840.113549.1.9.20";
const OID_LOCAL_KEY_ID = "1.2.840.113549.1.9.21";
const OID_CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const OID_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2";
// PBKDF2 runs natively; the MAC's PKCS#12 KDF runs in JS (~2 µs per iteration), so keep it modest.
const PBKDF2_ITERATIONS = 10_000;
const MAC_ITERATIONS = 2_048;

/**
 * A password-protected .p12 the way OpenSSL 3 writes one by default: key in a PKCS8ShroudedKeyBag
 * and certificates in an encrypted SafeContents, both PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC,
 * and a SHA-256 MAC. `openssl pkcs12` (without -legacy), Java keytool and pgJDBC read it.
 */
export async function buildPkcs12({
  certificatePem,
  privateKeyPem,
  caCertificatesPem = [],
  password,
  friendlyName = "user",
}: BuildPkcs12Params): Promise<Uint8Array> {
  // Java refuses non-ASCII keystore passwords, and an empty one protects nothing.
  if (!password || !/^[\x20-\x7e]+$/.test(password))
    throw new PkiError("PKCS12_INVALID", "the .p12 password must be printable ASCII and not empty");
  if (password.length > 128) throw new PkiError("PKCS12_INVALID", "the .p12 password is longer than 128 characters");

  if (typeof friendlyName !== "string" || friendlyName.length === 0 || friendlyName.length > 64 || /[\u0000-\u001f]/.test(friendlyName)) {
    throw new PkiError(
      "PARAM_INVALID",
      `the .p12 friendlyName "${String(friendlyName).slice(0, 70)}" must be 1-64 characters without control characters`,
    );
  }

  const leafDer = pemToDer(certificatePem, "CERTIFICATE");
  const leaf = decodeCertificate(leafDer);
  const cas = caCertificatesPem.flatMap((pem) => pemToDerAll(pem, "CERTIFICATE")).map(decodeCertificate);
  const keyDer = pemToDer(privateKeyPem, "PRIVATE KEY");
  // A .p12 whose key does not match its certificate imports fine and fails only at the TLS handshake.
  const keys = await importPrivateKey(keyDer);
  const keySpki = await exportPublicKeySpki(keys.publicKey);
  if (toHex(keySpki) !== toHex(new Uint8Array(leaf.subjectPublicKeyInfo.toSchema().toBER()))) {
    throw new PkiError("KEY_MISMATCH", `the private key does not belong to the certificate "${describeCertificate(leaf)}"`);
  }
  let keyInfo: pkijs.PrivateKeyInfo;
  try {
    keyInfo = pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(keyDer));
  } catch (error) {
    throw new PkiError("DER_INVALID", "the private key is not valid PKCS#8", { cause: error });
  }
  const localKeyId = new Uint8Array(await crypto.subtle.digest("SHA-1", toArrayBuffer(leafDer)));
  const leafAttributes = () => [
    new pkijs.Attribute({ type: OID_FRIENDLY_NAME, values: [new asn1js.BmpString({ value: friendlyName })] }),
    new pkijs.Attribute({ type: OID_LOCAL_KEY_ID, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(localKeyId) })] }),
  ];

  const passwordBytes = toArrayBuffer(new TextEncoder().encode(password));
  // pkijs generates the IV itself; its typings insist on one, hence the cast.
  const encryption = {
    password: passwordBytes,
    contentEncryptionAlgorithm: { name: "AES-CBC", length: 256 },
    hmacHashAlgorithm: "SHA-256",
    iterationCount: PBKDF2_ITERATIONS,
  } as unknown as Parameters<pkijs.PKCS8ShroudedKeyBag["makeInternalValues"]>[0];
  const certBags = [leaf, ...cas].map(
    (certificate, index) =>
      new pkijs.SafeBag({
        bagId: OID_CERT_BAG,
        bagValue: new pkijs.CertBag({ parsedValue: certificate }),
        bagAttributes: index === 0 ? leafAttributes() : undefined,
      }),
  );
  const keyBag = new pkijs.SafeBag({
    bagId: OID_SHROUDED_KEY_BAG,
    bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo }),
    bagAttributes: leafAttributes(),
  });

  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0, // password-based integrity (MAC)
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) }, // encrypted
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [keyBag] }) }, // the key bag is itself shrouded
          ],
        },
      }),
    },
  });
  try {
    await (keyBag.bagValue as pkijs.PKCS8ShroudedKeyBag).makeInternalValues(encryption);
    await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [encryption, {}] });
    await pfx.makeInternalValues({
      password: passwordBytes,
      iterations: MAC_ITERATIONS,
      pbkdf2HashAlgorithm: "SHA-256",
      hmacHashAlgorithm: "SHA-256",
    });
  } catch (error) {
    throw new PkiError("PKCS12_INVALID", `could not assemble the .p12: ${(error as Error).message}`, { cause: error });
  }
  try {
    return new Uint8Array(pfx.toSchema().toBER(false));
  } catch (error) {
    throw new PkiError("PKCS12_INVALID", `could not encode the .p12: ${(error as Error).message}`, { cause: error });
  }
}
