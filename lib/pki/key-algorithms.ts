import { PkiError } from "./errors";

export type KeyAlgorithm = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096" | "ed25519";

type AlgorithmInfo = {
  label: string;
  generate: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  /** How WebCrypto signs with it (the hash goes with the key for RSA and ECDSA). */
  sign: AlgorithmIdentifier | EcdsaParams;
  warning?: string;
};

const RSA = (modulusLength: number): RsaHashedKeyGenParams => ({
  name: "RSASSA-PKCS1-v1_5",
  modulusLength,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
});

export const KEY_ALGORITHMS: Record<KeyAlgorithm, AlgorithmInfo> = {
  "ecdsa-p256": { label: "ECDSA P-256 (recommended)", generate: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } },
  "ecdsa-p384": { label: "ECDSA P-384", generate: { name: "ECDSA", namedCurve: "P-384" }, sign: { name: "ECDSA", hash: "SHA-384" } },
  "rsa-2048": { label: "RSA 2048", generate: RSA(2048), sign: { name: "RSASSA-PKCS1-v1_5" } },
  "rsa-3072": { label: "RSA 3072", generate: RSA(3072), sign: { name: "RSASSA-PKCS1-v1_5" } },
  "rsa-4096": { label: "RSA 4096 (slow to generate)", generate: RSA(4096), sign: { name: "RSASSA-PKCS1-v1_5" } },
  ed25519: {
    label: "Ed25519",
    generate: { name: "Ed25519" },
    sign: { name: "Ed25519" },
    // tls-server-end-point has no hash for Ed25519 certificates (RFC 5929 §4.1), so libpq cannot bind.
    warning: "Ed25519 certificates break SCRAM channel binding (channel_binding=require fails)",
  },
};

export function keyAlgorithmInfo(algorithm: string): AlgorithmInfo {
  const info = KEY_ALGORITHMS[algorithm as KeyAlgorithm];
  if (!info) throw new PkiError("KEY_UNSUPPORTED", `unsupported key algorithm "${algorithm}" (use ${Object.keys(KEY_ALGORITHMS).join(", ")})`);
  return info;
}
