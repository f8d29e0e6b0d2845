import type { KeyAlgorithm } from "@/lib/db/schema/enums";

/** Key algorithm choices as the forms offer them, with what an admin should know about each. */
export const KEY_ALGORITHM_OPTIONS: { value: KeyAlgorithm; label: string }[] = [
  { value: "ecdsa-p256", label: "ECDSA P-256 (recommended)" },
  { value: "ecdsa-p384", label: "ECDSA P-384" },
  { value: "rsa-2048", label: "RSA 2048" },
  { value: "rsa-3072", label: "RSA 3072" },
  { value: "rsa-4096", label: "RSA 4096 (slow to generate)" },
  { value: "ed25519", label: "Ed25519 — breaks SCRAM channel binding" },
];
