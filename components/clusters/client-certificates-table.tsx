import { RevokeButton } from "@/components/certificates/revoke-button";

type ClientCertificateRow = { id: string; serialHex: string; databaseUser: string | null; status: string; notAfter: Date; ownerEmail: string | null; fromCsr: boolean };

const DAY_MS = 86_400_000;
const STATUS_TONES: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-700",
  revoked: "bg-red-50 text-red-700",
  superseded: "bg-slate-100 text-slate-600",
  expired: "bg-amber-50 text-amber-700",
};

export function ClientCertificatesTable({ rows, clusterId, canRevoke, now = new Date() }: { rows: ClientCertificateRow[]; clusterId: string; canRevoke: boolean; now?: Date }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Client certificates">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2">Database user</th>
            <th scope="col" className="px-4 py-2">Owner</th>
            <th scope="col" className="px-4 py-2">Serial</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2 text-right">Days left</th>
            {canRevoke ? <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const status = row.status === "active" && row.notAfter <= now ? "expired" : row.status;
            return (
              <tr key={row.id}>
                <td className="px-4 py-2 font-medium">{row.databaseUser}</td>
                <td className="px-4 py-2 text-slate-600">{row.ownerEmail ?? (row.fromCsr ? "CSR via API" : "API token")}</td>
                <td className="px-4 py-2 font-mono text-xs">{row.serialHex}</td>
                <td className="px-4 py-2">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-semibold capitalize ${STATUS_TONES[status] ?? ""}`}>{status}</span>
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{Math.floor((row.notAfter.getTime() - now.getTime()) / DAY_MS)}</td>
                {canRevoke ? (
                  <td className="px-4 py-2 text-right">
                    {status === "active" ? <RevokeButton serial={row.serialHex} name={`${row.databaseUser}'s certificate`} clusterId={clusterId} /> : null}
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
