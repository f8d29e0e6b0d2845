import { Server } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AddNodeForm } from "@/components/clusters/add-node-form";
import { ClientBundleForm } from "@/components/clusters/client-bundle-form";
import { ClientCertificatesTable } from "@/components/clusters/client-certificates-table";
import { listClientCertificates } from "@/lib/services/certificates/list-client-certificates";
import { loadGrants } from "@/lib/services/access/load-grants";
import { NodesTable } from "@/components/clusters/nodes-table";
import { AppHeader } from "@/components/shell/app-header";
import { isAllowed } from "@/lib/access/permissions";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { DownloadLink } from "@/components/ui/download-link";
import { EmptyState } from "@/components/ui/empty-state";
import { ValidityBar } from "@/components/ui/validity-bar";
import { requireSessionUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors/app-error";
import { formatUtc } from "@/lib/format/dates";
import { formatFingerprint } from "@/lib/format/fingerprint";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { getClusterOverview } from "@/lib/services/clusters/get-cluster-overview";

export const metadata: Metadata = { title: "Cluster" };

export default async function ClusterPage({ params }: { params: Promise<{ clusterId: string }> }) {
  await connection();
  const user = await requireSessionUser();
  const { clusterId } = await params;
  const { database } = await getRuntime();
  const overview = await getClusterOverview(database.db, user, clusterId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { cluster, authorities, crl } = overview;
  const [nodes, clientCertificates] = await Promise.all([listNodes(database.db, cluster.id), listClientCertificates(database.db, cluster.id)]);
  const canManage = isAllowed(user, "cluster:manage", { clusterId: cluster.id });
  // Admins type any database user; developers pick among those granted; auditors get no form.
  const grant = (await loadGrants(database.db, user)).find((g) => g.clusterId === cluster.id);
  const bundleUsers = canManage ? null : (grant?.databaseUsers ?? []);

  return (
    <>
      <AppHeader title={cluster.name} description={cluster.description || "PostgreSQL cluster"} />
      <div className="grid gap-6 px-8 py-8 xl:grid-cols-3">
        {authorities.map((ca) => (
          <section key={ca.id} aria-label={`Certificate authority ${ca.subject}`} className="rounded-xl border border-slate-200 bg-white p-5 xl:col-span-2">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 className="text-base font-semibold">Certificate authority</h2>
                <p className="text-sm text-slate-500">
                  {ca.kind === "root" ? "Root" : "Intermediate"} · {ca.keyAlgorithm} · <span className="capitalize">{ca.state}</span>
                </p>
              </div>
              <DownloadLink href={`/clusters/${cluster.id}/root.crt`}>root.crt</DownloadLink>
            </div>
            <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
              <dt className="text-slate-500">Subject</dt>
              <dd className="font-mono text-xs leading-5">{ca.subject}</dd>
              <dt className="text-slate-500">Serial</dt>
              <dd className="break-all font-mono text-xs leading-5">{ca.serialHex}</dd>
              <dt className="text-slate-500">SHA-256</dt>
              <dd className="break-all font-mono text-xs leading-5">{formatFingerprint(ca.fingerprintSha256)}</dd>
            </dl>
            <div className="mt-4">
              <ValidityBar notBefore={ca.notBefore} notAfter={ca.notAfter} />
            </div>
          </section>
        ))}
        <section aria-label="Certificate revocation list" className="rounded-xl border border-slate-200 bg-white p-5">
          <div className="flex items-start justify-between gap-3">
            <h2 className="text-base font-semibold">Revocation list</h2>
            {crl ? (
              <DownloadLink href={`/clusters/${cluster.id}/crl`}>root.crl</DownloadLink>
            ) : null}
          </div>
          {crl ? (
            <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-slate-500">Number</dt>
              <dd className="tabular-nums">{crl.crlNumber.toString()}</dd>
              <dt className="text-slate-500">Revoked</dt>
              <dd className="tabular-nums">{crl.entryCount}</dd>
              <dt className="text-slate-500">Issued</dt>
              <dd>{formatUtc(crl.thisUpdate)}</dd>
              <dt className="text-slate-500">Next update</dt>
              <dd>{formatUtc(crl.nextUpdate)}</dd>
            </dl>
          ) : (
            <p className="mt-4 text-sm text-slate-500">No CRL yet.</p>
          )}
        </section>
        {bundleUsers === null || bundleUsers.length > 0 ? (
          <section aria-labelledby="client-heading" className="rounded-xl border border-slate-200 bg-white p-5 xl:col-span-3">
            <h2 id="client-heading" className="text-base font-semibold">
              Client certificates
            </h2>
            <p className="mb-4 mt-1 text-sm text-slate-500">
              A zip with client.crt, client.key, client.pk8 (pgJDBC), optional client.p12, root.crt and connection strings for
              sslmode=verify-full. The key is generated for this download only.
            </p>
            <ClientBundleForm clusterId={cluster.id} allowedUsers={bundleUsers} maxDays={cluster.clientCertDays} />
            {clientCertificates.length > 0 ? (
              <div className="mt-6">
                <ClientCertificatesTable rows={clientCertificates} canRevoke={canManage} />
              </div>
            ) : null}
          </section>
        ) : null}
        <section aria-labelledby="nodes-heading" className="xl:col-span-3">
          <h2 id="nodes-heading" className="mb-3 text-base font-semibold">
            Nodes
          </h2>
          <div className="space-y-4">
            {nodes.length === 0 ? (
              <EmptyState icon={Server} title="No nodes yet">
                Nodes (primary, replicas, PgBouncer, pgpool-II) get server certificates whose names cover{" "}
                {cluster.sharedDnsNames.length ? cluster.sharedDnsNames.join(", ") : "their host names"} and their own addresses.
              </EmptyState>
            ) : (
              <NodesTable nodes={nodes} clusterId={cluster.id} canDownload={canManage} />
            )}
            {canManage ? (
              <div className="rounded-xl border border-slate-200 bg-white p-5">
                <AddNodeForm clusterId={cluster.id} sharedDnsNames={cluster.sharedDnsNames} />
              </div>
            ) : null}
          </div>
        </section>
      </div>
    </>
  );
}
