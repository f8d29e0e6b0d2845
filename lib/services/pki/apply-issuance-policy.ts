import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { findPolicyViolation, PkiError, type IssuancePolicy, type IssuanceRequest } from "@/lib/pki";

/**
 * Refuses a request the cluster's policy does not allow, with one error per rule on every path:
 * a lifetime out of range is a field error on `days` (400 VALIDATION_FAILED, like any other bad
 * field of the request); a key or name the cluster refuses is a 422 with the rule's code.
 */
export function assertIssuancePolicy(policy: IssuancePolicy, request: IssuanceRequest): void {
  const violation = findPolicyViolation(policy, request);
  if (!violation) return;
  if (violation.field === "days") throw new AppError("VALIDATION_FAILED", violation.message, { days: [violation.hint] });
  throw new PkiError(violation.code, violation.message);
}
