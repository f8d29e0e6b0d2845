import { z } from "zod";

const WHOLE_DAYS = "Lifetime must be a whole number of days";

/** A form sends digits as text ("" when left empty); an API client sends a number or nothing. */
function daysFromText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "") return undefined;
  return /^\d{1,9}$/.test(text) ? Number(text) : value;
}

/**
 * A requested certificate lifetime: a whole number of days, at least 1; absent means the
 * cluster's own lifetime for that kind of certificate. Only the shape lives here: how long a
 * cluster lets a certificate last is its issuance policy's decision, made when issuing.
 */
export const ZLifetimeDays = z.preprocess(
  daysFromText,
  z.number({ message: WHOLE_DAYS }).int(WHOLE_DAYS).min(1, "At least 1 day").optional(),
);
