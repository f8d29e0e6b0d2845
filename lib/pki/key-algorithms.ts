import { PkiError } from "./errors";

export type KeyAlgorithm = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096" | "ed25519";

export type KeyAlgorithmInfo = {
  id: KeyAlgorithm;
  label: string;
  family: "ECDSA" | "RSA" | "Ed25519";
  /** Modulus bits for RSA, field size for the curves. */
  bits: number;
  /** Seconds of CPU, not milliseconds: say so before the user clicks. */
  slowToGenerate: boolean;
  /** libpq's channel_binding=require cannot work with certificates of this key type. */
  breaksChannelBinding: boolean;
  warning?: string;
  generate: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  /** How WebCrypto signs with it (the hash goes with the key for RSA and ECDSA). */
  sign: AlgorithmIdentifier | EcdsaParams;
};

const rsa = (bits: 2048 | 3072 | 4096, label: string): KeyAlgorithmInfo => ({
  id: `rsa-${bits}`,
  label,
  family: "RSA",
  bits,
  slowToGenerate: bits === 4096,
  breaksChannelBinding: false,
  generate: {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: bits,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  } as RsaHashedKeyGenParams,
  sign: { name: "RSASSA-PKCS1-v1_5" },
});

/** Every key type cluster-tls issues, in the order a settings form lists them (default first). */
export const KEY_ALGORITHMS: readonly KeyAlgorithmInfo[] = [
  {
    id: "ecdsa-p256",
    label: "ECDSA P-256 (recommended)",
    family: "ECDSA",
    bits: 256,
    slowToGenerate: false,
    breaksChannelBinding: false,
    generate: { name: "ECDSA", namedCurve: "P-256" },
    sign: { name: "ECDSA", hash: "SHA-256" },
  },
  {
    id: "ecdsa-p384",
    label: "ECDSA P-384",
    family: "ECDSA",
    bits: 384,
    slowToGenerate: false,
    breaksChannelBinding: false,
    generate: { name: "ECDSA", namedCurve: "P-384" },
    // RFC 5758 §3.2 pairs P-384 with SHA-384.
    sign: { name: "ECDSA", hash: "SHA-384" },
  },
  rsa(2048, "RSA 2048"),
  rsa(3072, "RSA 3072"),
  rsa(4096, "RSA 4096 (slow to generate)"),
  {
    id: "ed25519",
    label: "Ed25519",
    family: "Ed25519",
    bits: 256,
    slowToGenerate: false,
    // tls-server-end-point hashes the certificate with its signature hash (RFC 5929 §4.1); Ed25519
    // has none, so libpq/PostgreSQL offer no channel binding and channel_binding=require fails.
    breaksChannelBinding: true,
    warning: "Ed25519 certificates break SCRAM channel binding (channel_binding=require fails)",
    generate: { name: "Ed25519" },
    sign: { name: "Ed25519" },
  },
];

const BY_ID = new Map<string, KeyAlgorithmInfo>(KEY_ALGORITHMS.map((info) => [info.id, info]));

export function keyAlgorithmInfo(algorithm: string): KeyAlgorithmInfo {
  const info = BY_ID.get(algorithm);
  if (!info)
    throw new PkiError(
      "KEY_UNSUPPORTED",
      `unsupported key algorithm "${String(algorithm).slice(0, 40)}" (use ${[...BY_ID.keys()].join(", ")})`,
    );
  return info;
}
