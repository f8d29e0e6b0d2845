import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { connection } from "next/server";
import { ArchiveClusterForm } from "@/components/clusters/archive-cluster-form";
import { ClusterSettingsForm } from "@/components/clusters/cluster-settings-form";
import { WebhooksSection } from "@/components/clusters/webhooks-section";
import { AppHeader } from "@/components/shell/app-header";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { listWebhooks } from "@/lib/services/webhooks/manage-webhooks";
import { listPgBouncerNodes } from "@/lib/services/devices/connect-target";

export const metadata: Metadata = { title: "Cluster settings" };

export default async function ClusterSettingsPage({ params }: { params: Promise<{ clusterId: string }> }) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const { clusterId } = await params;
  const cluster = await getClusterOrThrow(db, user, clusterId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const back = { href: `/clusters/${cluster.id}`, label: cluster.name };
  if (!isAllowed(user, "cluster:manage", { clusterId: cluster.id })) forbidden();
  const { subjectTemplate, ...rest } = cluster;
  const webhooks = await listWebhooks(db, user, cluster.id);
  const pgbouncerNodes = await listPgBouncerNodes(db, cluster.id);

  return (
    <>
      <AppHeader
        title={`${cluster.name} settings`}
        description={`Key algorithm ${cluster.keyAlgorithm} (fixed; change it with a CA rotation).`}
        back={back}
      />
      <div className="max-w-4xl space-y-8 px-4 sm:px-8 py-8">
        <section className="rounded-xl border border-slate-200 bg-white p-6">
          <ClusterSettingsForm settings={{ ...rest, organization: subjectTemplate.O ?? "" }} pgbouncerNodes={pgbouncerNodes} />
        </section>
        <section aria-labelledby="webhooks-heading" className="rounded-xl border border-slate-200 bg-white p-6">
          <h2 id="webhooks-heading" className="text-base font-semibold">
            Webhooks
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-500">
            cluster-tls POSTs a JSON event to each endpoint, signed in the <code>X-Cluster-TLS-Signature</code> header (<code>sha256=</code>
            HMAC-SHA256 of <code>timestamp.body</code> with the webhook&apos;s secret). Failed deliveries are retried for about 15 hours;
            redirects are not followed, and loopback or private addresses are refused unless the server runs with{" "}
            <code>CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE=1</code>.
          </p>
          <WebhooksSection clusterId={cluster.id} webhooks={webhooks} />
        </section>
        <section aria-labelledby="archive-heading" className="rounded-xl border border-red-200 bg-white p-6">
          <h2 id="archive-heading" className="text-base font-semibold text-red-800">
            Archive this cluster
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            It leaves the lists and issues no more certificates. Its CA, certificates, CRLs and audit trail are kept, and its root.crt and
            CRL stay downloadable from this page&apos;s address.
          </p>
          <ArchiveClusterForm clusterId={cluster.id} name={cluster.name} archivedAt={cluster.archivedAt} />
        </section>
      </div>
    </>
  );
}
