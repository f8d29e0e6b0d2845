import { RevokeButton } from "@/components/certificates/revoke-button";
import { StatusBadge } from "@/components/certificates/status-badge";
import { daysLeft, displayStatus } from "@/lib/format/days";
import { TableHead } from "@/components/ui/table-head";

type ClientCertificateRow = {
  id: string;
  serialHex: string;
  databaseUser: string | null;
  status: string;
  notAfter: Date;
  ownerEmail: string | null;
  fromCsr: boolean;
};

export function ClientCertificatesTable({
  rows,
  canRevoke,
  now = new Date(),
}: {
  rows: ClientCertificateRow[];
  canRevoke: boolean;
  now?: Date;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Client certificates">
        <TableHead
          dense
          columns={[
            "Database user",
            "Owner",
            "Serial",
            "Status",
            { label: "Days left", align: "right" as const },
            ...(canRevoke ? [{ label: "Actions", srOnly: true }] : []),
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const status = displayStatus(row.status, row.notAfter, now);
            return (
              <tr key={row.id}>
                <td className="px-4 py-2 font-medium">{row.databaseUser}</td>
                <td className="px-4 py-2 text-slate-600">{row.ownerEmail ?? (row.fromCsr ? "CSR via API" : "API token")}</td>
                <td className="px-4 py-2 font-mono text-xs">{row.serialHex}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={status} />
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{daysLeft(row.notAfter, now)}</td>
                {canRevoke ? (
                  <td className="px-4 py-2 text-right">
                    {status === "active" || status === "expiring" ? (
                      <RevokeButton serial={row.serialHex} name={`${row.databaseUser}'s certificate`} />
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
