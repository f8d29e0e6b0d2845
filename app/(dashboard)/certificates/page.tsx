import { FileBadge2 } from "lucide-react";
import type { Metadata } from "next";
import { connection } from "next/server";
import { AppHeader } from "@/components/shell/app-header";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { listCertificates } from "@/lib/services/list-certificates";
import { requireSessionUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Certificates" };

export default async function CertificatesPage() {
  await connection();
  const { database } = await getRuntime();
  const certificates = await listCertificates(database.db, await requireSessionUser());

  return (
    <>
      <AppHeader title="Certificates" description="Every CA, server and client certificate, soonest expiry first." />
      <div className="px-8 py-8">
        {certificates.length === 0 ? (
          <EmptyState icon={FileBadge2} title="No certificates yet" action={<ButtonLink href="/clusters/new">Create a cluster</ButtonLink>}>
            Certificates appear here as soon as a cluster has its CA and its first nodes.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-3">Common name</th>
                  <th scope="col" className="px-4 py-3">Kind</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3">Serial</th>
                  <th scope="col" className="px-4 py-3">Expires</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {certificates.map((cert) => (
                  <tr key={cert.id}>
                    <td className="px-4 py-3 font-medium">{cert.commonName}</td>
                    <td className="px-4 py-3">{cert.kind}</td>
                    <td className="px-4 py-3">{cert.status}</td>
                    <td className="px-4 py-3 font-mono text-xs">{cert.serialHex}</td>
                    <td className="px-4 py-3 tabular-nums">{cert.notAfter.toISOString().slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
