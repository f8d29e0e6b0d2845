/**
 * Every failure in lib/pki is a PkiError with a stable code, so the UI and the REST API can map
 * it to a message and an HTTP status without parsing text. Messages name the bad value
 * (`CSR signature does not verify for CN=db1.example`) and never contain key material.
 */
export type PkiErrorCode =
  | "PEM_INVALID" // not PEM, wrong label, garbage base64
  | "DER_INVALID" // truncated or malformed DER
  | "INPUT_TOO_LARGE" // refused before parsing, to keep parsers bounded
  | "KEY_UNSUPPORTED" // algorithm or curve we do not issue or accept
  | "KEY_TOO_WEAK" // below the policy's minimum size
  | "KEY_MISMATCH" // certificate and private key (or signer) do not belong together
  | "SIGNER_INVALID" // a signer answered something that is not a signature of its algorithm
  | "CSR_SIGNATURE_INVALID"
  | "CSR_NAME_NOT_ALLOWED" // a subject or SAN outside the signing policy
  | "NAME_INVALID" // malformed DNS name, IP address or subject field
  | "NAME_NOT_PERMITTED" // a well-formed name the issuing policy or the CA's nameConstraints do not allow
  | "LIFETIME_INVALID" // non-positive or beyond policy
  | "ISSUER_INVALID" // not a CA, expired, missing keyCertSign, …
  | "CHAIN_INVALID" // chain does not verify
  | "CRL_INVALID"
  | "PKCS12_INVALID"
  | "PARAM_INVALID"; // an option out of range (pathLen, a .p12 friendlyName, an unknown kind)

export class PkiError extends Error {
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PkiError";
    this.code = code;
  }
}

export function isPkiError(value: unknown): value is PkiError {
  return value instanceof PkiError;
}
