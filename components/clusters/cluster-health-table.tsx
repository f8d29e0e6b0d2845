import Link from "next/link";
import type { StatusCounts } from "@/lib/services/clusters/count-certificates-by-cluster";
import { TableHead } from "@/components/ui/table-head";

type Row = { id: string; name: string; nodeCount: number; counts: StatusCounts };

const cell = (value: number, tone: string) => (
  <span className={value > 0 ? `font-semibold ${tone}` : "text-slate-400"}>{value.toLocaleString("en")}</span>
);

/** Every cluster with its certificates counted by status: where to look first. */
export function ClusterHealthTable({ rows }: { rows: Row[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Clusters by certificate status">
        <TableHead
          columns={[
            "Cluster",
            { label: "Nodes", align: "right" as const },
            { label: "Valid", align: "right" as const },
            { label: "Expiring", align: "right" as const },
            { label: "Expired", align: "right" as const },
            { label: "Revoked", align: "right" as const },
          ]}
        />
        <tbody className="divide-y divide-slate-100 tabular-nums">
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="px-4 py-3 font-medium">
                <Link href={`/clusters/${row.id}`} className="text-indigo-700 hover:underline">
                  {row.name}
                </Link>
              </td>
              <td className="px-4 py-3 text-right">{row.nodeCount.toLocaleString("en")}</td>
              <td className="px-4 py-3 text-right">{cell(row.counts.active, "text-emerald-700")}</td>
              <td className="px-4 py-3 text-right">{cell(row.counts.expiring, "text-amber-700")}</td>
              <td className="px-4 py-3 text-right">{cell(row.counts.expired, "text-red-700")}</td>
              <td className="px-4 py-3 text-right">{cell(row.counts.revoked, "text-slate-700")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
