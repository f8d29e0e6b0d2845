/** RFC 5280 §5.3.1 CRLReason codes (7 is unused; removeFromCRL is for delta CRLs, not issued here). */
export const REVOCATION_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReasonName = keyof typeof REVOCATION_REASON_CODES;

export const REASON_BY_CODE = new Map<number, RevocationReasonName>(
  Object.entries(REVOCATION_REASON_CODES).map(([name, code]) => [code, name as RevocationReasonName]),
);
