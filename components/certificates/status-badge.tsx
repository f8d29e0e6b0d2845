import type { DisplayStatus } from "@/lib/format/days";

const BADGES: Record<DisplayStatus, { label: string; tone: string }> = {
  active: { label: "Valid", tone: "bg-emerald-50 text-emerald-700 ring-emerald-600/20" },
  expiring: { label: "Expiring", tone: "bg-amber-50 text-amber-800 ring-amber-600/20" },
  expired: { label: "Expired", tone: "bg-red-50 text-red-700 ring-red-600/20" },
  revoked: { label: "Revoked", tone: "bg-red-50 text-red-700 ring-red-600/20" },
  superseded: { label: "Superseded", tone: "bg-slate-100 text-slate-600 ring-slate-500/20" },
  missing: { label: "No certificate", tone: "bg-red-50 text-red-700 ring-red-600/20" },
};

/** One look for certificate status everywhere (tables, node page, timeline legend). */
export function StatusBadge({ status }: { status: DisplayStatus }) {
  const { label, tone } = BADGES[status];
  return (
    <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${tone}`}>
      {label}
    </span>
  );
}
