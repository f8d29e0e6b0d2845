import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { StatusBadge } from "@/components/certificates/status-badge";
import { TableHead } from "@/components/ui/table-head";
import { formatDate } from "@/lib/format/dates";
import { daysLeftLabel, displayStatus } from "@/lib/format/days";
import type { CertificateSearchRow } from "@/lib/services/certificates/search-certificates";

type Props = { rows: CertificateSearchRow[]; sort: string; hrefFor: (change: Record<string, string | undefined>) => string; now?: Date };

/** The fleet's certificates; "Days left" sorts both ways, each row links to its node or cluster. */
export function CertificatesTable({ rows, sort, hrefFor, now = new Date() }: Props) {
  const descending = sort === "-days-left";
  const SortIcon = descending ? ArrowDown : ArrowUp;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <TableHead
          columns={[
            "Name",
            "Cluster",
            "Kind",
            "Status",
            "Serial",
            "Expires",
            {
              key: "days-left",
              align: "right",
              sort: sort.endsWith("days-left") ? (descending ? "descending" : "ascending") : "none",
              label: (
                <Link
                  href={hrefFor({ sort: descending ? undefined : "-days-left", page: undefined })}
                  className="inline-flex items-center gap-1 hover:text-slate-900"
                >
                  Days left <SortIcon aria-hidden className="size-3.5" />
                  <span className="sr-only">{descending ? "(most first; sort fewest first)" : "(fewest first; sort most first)"}</span>
                </Link>
              ),
            },
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const href = row.nodeId ? `/clusters/${row.clusterId}/nodes/${row.nodeId}` : `/clusters/${row.clusterId}`;
            return (
              <tr key={row.id}>
                <td className="px-4 py-3 font-medium">
                  <Link href={href} className="text-indigo-700 hover:underline">
                    {row.commonName}
                  </Link>
                </td>
                <td className="px-4 py-3 text-slate-600">{row.clusterName}</td>
                <td className="px-4 py-3 capitalize">{row.kind === "ca" ? "CA" : row.kind}</td>
                <td className="px-4 py-3">
                  <StatusBadge status={displayStatus(row.status, row.notAfter, now)} />
                </td>
                <td className="px-4 py-3 font-mono text-xs">{row.serialHex}</td>
                <td className="px-4 py-3 tabular-nums">{formatDate(row.notAfter)}</td>
                <td className="px-4 py-3 text-right tabular-nums">{daysLeftLabel(row.status, row.notAfter, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
