import { formatUtc } from "@/lib/format/dates";
import type { AuditEventView } from "@/lib/services/audit/list-audit-events";
import { TableHead } from "@/components/ui/table-head";

const OUTCOME_TONES: Record<string, string> = {
  success: "bg-emerald-50 text-emerald-700",
  failure: "bg-red-50 text-red-700",
  denied: "bg-amber-50 text-amber-700",
};

/** What the row is about, in words: the email, name or cluster recorded with it, else a short id. */
function objectLabel(event: AuditEventView): string {
  if (!event.objectType) return "—";
  const details = event.details as Record<string, unknown>;
  const named = [details.email, details.name, details.cluster].find((v): v is string => typeof v === "string");
  return `${event.objectType} ${named ?? event.objectId?.slice(0, 8) ?? ""}`;
}

export function AuditTable({ events }: { events: AuditEventView[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-100 text-sm">
        <TableHead columns={["Time", "Actor", "Action", "Object", "Cluster", "From", "Outcome"]} />
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => (
            <tr key={e.id.toString()}>
              <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">{formatUtc(e.occurredAt)}</td>
              <td className="px-4 py-2.5">
                <span className="font-medium">{e.actorLabel}</span> <span className="text-xs text-slate-500">{e.actorType}</span>
              </td>
              <td className="px-4 py-2.5 font-mono text-xs">{e.action}</td>
              <td className="px-4 py-2.5 text-xs text-slate-600" title={e.objectId ?? undefined}>
                {objectLabel(e)}
              </td>
              <td className="px-4 py-2.5">{e.clusterName ?? "—"}</td>
              <td className="px-4 py-2.5 text-xs text-slate-500" title={e.userAgent ?? undefined}>
                {e.ipAddress ?? "—"}
              </td>
              <td className="px-4 py-2.5">
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${OUTCOME_TONES[e.outcome] ?? ""}`}>{e.outcome}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
