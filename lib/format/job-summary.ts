/**
 * A job run's summary (what runJob stored, e.g. { checked: 2, renewed: ["db1…"] }) as one line
 * for the Jobs page: "checked 2 · renewed db1.orders.internal". Keys are camelCase words.
 */
export function formatJobSummary(summary: Record<string, unknown>): string {
  const parts = Object.entries(summary).map(([key, value]) => `${words(key)} ${formatValue(value)}`);
  return parts.length > 0 ? parts.join(" · ") : "nothing to report";
}

const SHOWN_NAMES = 3;

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const names = value
      .slice(0, SHOWN_NAMES)
      .map((item) => (typeof item === "object" && item !== null ? JSON.stringify(item) : String(item)));
    return value.length > SHOWN_NAMES ? `${value.length} (${names.join(", ")}, …)` : names.join(", ");
  }
  if (typeof value === "number") return value.toLocaleString("en");
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

const ACRONYMS: Record<string, string> = { crl: "CRL", crls: "CRLs", ca: "CA", cas: "CAs" };

/** crlsSigned → "CRLs signed", webhookDeliveries → "webhook deliveries". */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(" ")
    .map((word) => ACRONYMS[word] ?? word)
    .join(" ");
}
