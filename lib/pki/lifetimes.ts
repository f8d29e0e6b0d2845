/**
 * The longest server certificate validity clients accept: 398 days (CA/Browser Forum Baseline
 * Requirements §6.3.2, enforced by Apple, Chrome and Mozilla for public CAs and increasingly by
 * TLS libraries for every chain). The validity period counts notBefore through notAfter inclusive.
 */
export const MAX_SERVER_CERT_DAYS = 398;
