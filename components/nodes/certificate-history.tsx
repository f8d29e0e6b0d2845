import { StatusBadge } from "@/components/certificates/status-badge";
import { formatDate } from "@/lib/format/dates";
import { displayStatus } from "@/lib/format/days";
import type { NodeCertificate } from "@/lib/services/nodes/get-node-details";
import { TableHead } from "@/components/ui/table-head";

const REASON_LABELS: Record<string, string> = {
  cessationOfOperation: "node removed",
  superseded: "superseded",
  keyCompromise: "key compromise",
  affiliationChanged: "affiliation changed",
  privilegeWithdrawn: "privilege withdrawn",
  unspecified: "unspecified",
};

/**
 * Lineage: every certificate the node held, newest first. A re-issue records the one it replaced;
 * the table turns that round, so each old row names its successor and the chain reads downwards
 * from the current certificate. Replication and pooler client certificates sit beside.
 */
export function CertificateHistory({ history, now = new Date() }: { history: NodeCertificate[]; now?: Date }) {
  const successorOf = new Map(history.flatMap((c) => (c.replacesCertificateId ? [[c.replacesCertificateId, c.serialHex] as const] : [])));
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Certificate history">
        <TableHead dense columns={["Serial", "For", "Status", "Issued", "Expires", "Replaced by"]} />
        <tbody className="divide-y divide-slate-100">
          {history.map((c) => (
            <tr key={c.id}>
              <td className="px-4 py-2 font-mono text-xs">{c.serialHex}</td>
              <td className="px-4 py-2">{c.kind === "server" ? "Server" : `Client · ${c.commonName}`}</td>
              <td className="px-4 py-2">
                <StatusBadge status={displayStatus(c.status, c.notAfter, now)} />
                {c.revocationReason ? (
                  <span className="ml-2 text-xs text-slate-500">{REASON_LABELS[c.revocationReason] ?? c.revocationReason}</span>
                ) : null}
              </td>
              <td className="px-4 py-2 tabular-nums">{formatDate(c.createdAt)}</td>
              <td className="px-4 py-2 tabular-nums">{formatDate(c.notAfter)}</td>
              <td className="px-4 py-2 font-mono text-xs text-slate-500">
                {successorOf.get(c.id) ?? (c.status === "superseded" ? "a later certificate" : "—")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
