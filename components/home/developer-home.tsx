import { KeyRound, Server } from "lucide-react";
import Link from "next/link";
import { ExpiringBanner } from "@/components/certificates/expiring-banner";
import { StatusBadge } from "@/components/certificates/status-badge";
import { ClientBundleButton } from "@/components/clusters/client-bundle-button";
import { EmptyState } from "@/components/ui/empty-state";
import { TableHead } from "@/components/ui/table-head";
import { formatDate } from "@/lib/format/dates";
import { daysLeft, displayStatus } from "@/lib/format/days";
import type { DatabaseAccess } from "@/lib/services/access/list-my-database-access";

type HeldCertificate = {
  id: string;
  serialHex: string;
  databaseUser: string | null;
  status: string;
  notAfter: Date;
  clusterId: string;
  clusterName: string;
};

type DeveloperHomeProps = { access: DatabaseAccess[]; held: HeldCertificate[]; now?: Date };

/**
 * A developer's start page: the one thing they come for — a client bundle for a database user
 * they may use — one click away, and what they already hold with the days it has left.
 */
export function DeveloperHome({ access, held, now = new Date() }: DeveloperHomeProps) {
  const endingSoon = held.filter((cert) => displayStatus(cert.status, cert.notAfter, now) !== "active");
  return (
    <div className="space-y-8 px-4 py-8 sm:px-8">
      <ExpiringBanner certificates={endingSoon} now={now} />
      {access.length === 0 ? (
        <EmptyState icon={Server} title="No clusters granted to you yet">
          Ask an admin to grant you a cluster and the database users you work with; they appear here, each with its client bundle one click
          away.
        </EmptyState>
      ) : (
        <section aria-labelledby="access-heading">
          <h2 id="access-heading" className="mb-3 text-base font-semibold">
            Your clusters and database users
          </h2>
          <ul className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {access.map((grant) => (
              <li key={grant.clusterId} className="min-w-0">
                <section aria-labelledby={`cluster-${grant.clusterId}`} className="rounded-xl border border-slate-200 bg-white">
                  <div className="border-b border-slate-200 px-5 py-4">
                    <h3 id={`cluster-${grant.clusterId}`} className="break-words font-semibold">
                      <Link href={`/clusters/${grant.clusterId}`} className="text-indigo-700 hover:underline">
                        {grant.clusterName}
                      </Link>
                    </h3>
                    <p className="mt-1 text-sm text-slate-500">
                      {grant.description ? `${grant.description} · ` : ""}bundles last {grant.clientCertDays} days ·{" "}
                      <Link href={`/clusters/${grant.clusterId}#client-heading`} className="font-medium text-indigo-700 hover:underline">
                        other lifetime, .p12 or your own key
                      </Link>
                    </p>
                  </div>
                  {grant.databaseUsers.length === 0 ? (
                    <p className="px-5 py-4 text-sm text-slate-500">
                      No database users granted on this cluster yet: ask an admin for the ones you need.
                    </p>
                  ) : (
                    <ul className="divide-y divide-slate-100">
                      {grant.databaseUsers.map((databaseUser) => (
                        <li key={databaseUser} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                          <span className="break-all font-mono text-sm">{databaseUser}</span>
                          <ClientBundleButton clusterId={grant.clusterId} clusterName={grant.clusterName} databaseUser={databaseUser} />
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="held-heading">
        <h2 id="held-heading" className="mb-3 text-base font-semibold">
          Client certificates you hold
        </h2>
        {held.length === 0 ? (
          <EmptyState icon={KeyRound} title="None yet">
            Each bundle you download holds a new certificate; it is listed here with the days it has left. cluster-tls never keeps your
            private key, so it cannot renew one for you: download a new bundle before the old one ends.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Client certificates you hold">
              <TableHead
                columns={["Database user", "Cluster", { label: "Days left", align: "right" as const }, "Status", "Expires", "Serial"]}
              />
              <tbody className="divide-y divide-slate-100">
                {held.map((cert) => (
                  <tr key={cert.id}>
                    <td className="px-4 py-3 font-medium">{cert.databaseUser}</td>
                    <td className="px-4 py-3">{cert.clusterName}</td>
                    {/* Days left before the rest: on a phone it is the column in view. */}
                    <td className="px-4 py-3 text-right tabular-nums">{Math.max(0, daysLeft(cert.notAfter, now))}</td>
                    <td className="px-4 py-3">
                      <StatusBadge status={displayStatus(cert.status, cert.notAfter, now)} />
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 tabular-nums">{formatDate(cert.notAfter)}</td>
                    <td className="px-4 py-3 font-mono text-xs">{cert.serialHex}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
