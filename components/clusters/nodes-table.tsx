import Link from "next/link";
import { StatusBadge } from "@/components/certificates/status-badge";
import type { NodeRole } from "@/lib/db/schema/enums";
import { daysLeft, displayStatus } from "@/lib/format/days";
import { NODE_ROLE_LABELS } from "@/lib/format/node-roles";
import { OnNodeBadge } from "@/components/agents/on-node-badge";
import type { OnNode } from "@/lib/services/nodes/list-nodes";
import { ReissueButton } from "./reissue-button";
import { TableHead } from "@/components/ui/table-head";

type NodeRow = {
  id: string;
  hostname: string;
  role: NodeRole;
  port: number;
  serialHex: string | null;
  dnsNames: string[] | null;
  ipAddresses: string[] | null;
  notAfter: Date | null;
  status: string | null;
  onNode: OnNode;
};

export function NodesTable({
  nodes,
  clusterId,
  canDownload,
  now = new Date(),
}: {
  nodes: NodeRow[];
  clusterId: string;
  canDownload: boolean;
  now?: Date;
}) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Nodes">
        <TableHead
          columns={[
            "Host",
            "Role",
            "Names in the certificate",
            "Status",
            "On node",
            { label: "Days left", align: "right" as const },
            ...(canDownload ? [{ label: "Downloads", srOnly: true }] : []),
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {nodes.map((node) => {
            const href = `/clusters/${clusterId}/nodes/${node.id}`;
            return (
              <tr key={node.id}>
                <td className="px-4 py-3 font-medium">
                  <Link href={href} className="text-indigo-700 hover:underline">
                    {node.hostname}
                  </Link>
                  <span className="ml-1 text-xs text-slate-500">:{node.port}</span>
                </td>
                <td className="px-4 py-3">{NODE_ROLE_LABELS[node.role]}</td>
                <td className="px-4 py-3 text-xs text-slate-600">
                  {[...(node.dnsNames ?? []), ...(node.ipAddresses ?? [])].join(", ") || "—"}
                </td>
                <td className="px-4 py-3">
                  <StatusBadge status={displayStatus(node.status, node.notAfter, now)} />
                </td>
                <td className="px-4 py-3" data-testid="on-node">
                  <OnNodeBadge onNode={node.onNode} />
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{node.notAfter ? daysLeft(node.notAfter, now) : "—"}</td>
                {canDownload ? (
                  <td className="space-x-2 whitespace-nowrap px-4 py-3 text-right">
                    <ReissueButton nodeId={node.id} hostname={node.hostname} />
                    {node.serialHex ? (
                      <a
                        href={`${href}/bundle`}
                        download
                        aria-label={`Download server bundle for ${node.hostname}`}
                        className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-semibold text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
                      >
                        Server bundle
                      </a>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
