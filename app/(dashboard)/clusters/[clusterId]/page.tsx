import { RefreshCcw, Server, Settings } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { AddNodeForm } from "@/components/clusters/add-node-form";
import { CaCard } from "@/components/clusters/ca-card";
import { CaRequestCard } from "@/components/clusters/ca-request-card";
import { ReissueAllButton } from "@/components/clusters/reissue-all-button";
import { ClientBundleForm } from "@/components/clusters/client-bundle-form";
import { ClientCertificatesTable } from "@/components/clusters/client-certificates-table";
import { CrlCard } from "@/components/clusters/crl-card";
import { NodesTable } from "@/components/clusters/nodes-table";
import { AppHeader } from "@/components/shell/app-header";
import { DeferredTimeline, TimelineSkeleton } from "@/components/timeline/deferred-timeline";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { formatUtc } from "@/lib/format/dates";
import { searchText } from "@/lib/validations/postgres-text";
import { loadGrants } from "@/lib/services/access/load-grants";
import { listClientCertificates } from "@/lib/services/certificates/list-client-certificates";
import { getClusterOverview } from "@/lib/services/clusters/get-cluster-overview";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { getExpiryTimeline } from "@/lib/services/timeline/get-expiry-timeline";
import { timelineRangeOf } from "@/lib/timeline/layout";

export const metadata: Metadata = { title: "Cluster" };

const ROTATION_STEP_LABELS = {
  create: "step 1 of 4: create the new CA",
  publish: "step 2 of 4: publish trust of old + new",
  reissue: "step 3 of 4: re-issue server certificates under the new CA",
  reissuing: "step 3 of 4: re-issuing server certificates…",
  retire: "step 4 of 4: retire the old CA",
} as const;

type ClusterPageProps = {
  params: Promise<{ clusterId: string }>;
  searchParams: Promise<{ timeline?: string; node?: string; nodesPage?: string }>;
};

export default async function ClusterPage({ params, searchParams }: ClusterPageProps) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const { clusterId } = await params;
  const query = await searchParams;
  const range = timelineRangeOf(query.timeline);
  const nodeSearch = searchText(query.node)?.trim().slice(0, 253) || undefined;
  const nodesPage = Math.min(100_000, Math.max(1, Number.parseInt(query.nodesPage ?? "1", 10) || 1));
  const overview = await getClusterOverview(db, user, clusterId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { cluster, authorities, crl, rotationStep, caRequest } = overview;
  const [nodes, clientCertificates, grants] = await Promise.all([
    listNodes(db, cluster.id, { page: nodesPage, search: nodeSearch }),
    listClientCertificates(db, cluster.id),
    loadGrants(db, user),
  ]);
  const canManage = isAllowed(user, "cluster:manage", { clusterId: cluster.id });
  // Admins type any database user; developers pick among those granted; auditors get no form.
  const bundleUsers = canManage ? null : (grants.find((g) => g.clusterId === cluster.id)?.databaseUsers ?? []);
  const base = `/clusters/${cluster.id}`;
  const clientListHref = `/certificates?cluster=${cluster.id}&kind=client`;
  // Links that change one part of the page keep the others (zoom, node search, node page).
  const hrefWith = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ timeline: query.timeline, node: nodeSearch, nodesPage: query.nodesPage, ...change }))
      if (value) next.set(key, value);
    return next.size ? `${base}?${next}` : base;
  };

  return (
    <>
      <AppHeader
        title={cluster.name}
        description={
          cluster.archivedAt
            ? `Archived ${formatUtc(cluster.archivedAt)} — kept for its history; it issues nothing more.`
            : cluster.description || "PostgreSQL cluster"
        }
        back={{ href: "/clusters", label: "Clusters" }}
        actions={
          canManage ? (
            <>
              {cluster.archivedAt ? null : (
                <ButtonLink href={`${base}/rotation`} variant="secondary">
                  <RefreshCcw aria-hidden className="size-4" /> Rotate CA
                </ButtonLink>
              )}
              <ButtonLink href={`${base}/settings`} variant="secondary" aria-label={`Settings of ${cluster.name}`}>
                <Settings aria-hidden className="size-4" /> Settings
              </ButtonLink>
            </>
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-6 px-4 py-8 sm:px-8 xl:grid-cols-3">
        {rotationStep ? (
          <div
            role="status"
            className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-indigo-200 bg-indigo-50 px-5 py-3 text-sm text-indigo-900 xl:col-span-3"
          >
            <span>
              <span className="font-semibold">CA rotation in progress</span> — {ROTATION_STEP_LABELS[rotationStep]}
            </span>
            <Link href={`${base}/rotation`} className="font-semibold text-indigo-700 hover:underline">
              Open the rotation wizard →
            </Link>
          </div>
        ) : null}
        {caRequest ? (
          <CaRequestCard
            clusterId={cluster.id}
            clusterName={cluster.name}
            subject={caRequest.subject}
            csrPem={caRequest.csrPem}
            canManage={canManage}
          />
        ) : null}
        {authorities.map((ca) => (
          <div key={ca.id} className="xl:col-span-2">
            <CaCard ca={ca} downloadHref={`${base}/root.crt`} clusterId={cluster.id} canManage={canManage} />
          </div>
        ))}
        <CrlCard crl={crl} downloadHref={`${base}/crl`} />
        <div className="xl:col-span-3">
          <Suspense fallback={<TimelineSkeleton />}>
            <DeferredTimeline
              data={getExpiryTimeline(db, user, { clusterId: cluster.id })}
              range={range}
              hrefForRange={(r) => hrefWith({ timeline: r })}
              listHref={`/certificates?cluster=${cluster.id}`}
            />
          </Suspense>
        </div>
        <section aria-labelledby="nodes-heading" className="xl:col-span-3">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <div className="flex items-center gap-3">
              <h2 id="nodes-heading" className="text-base font-semibold">
                Nodes <span className="font-normal text-slate-500">({nodes.total.toLocaleString("en")})</span>
              </h2>
              {canManage && !cluster.archivedAt && !nodeSearch ? <ReissueAllButton clusterId={cluster.id} nodeCount={nodes.total} /> : null}
            </div>
            <form method="get" role="search" aria-label="Find nodes" className="flex gap-2">
              {query.timeline ? <input type="hidden" name="timeline" value={query.timeline} /> : null}
              <input
                type="search"
                name="node"
                defaultValue={nodeSearch}
                placeholder="Find a host"
                aria-label="Host name contains"
                className="w-44 min-w-0 rounded-md sm:w-56 border border-slate-300 px-2.5 py-1.5 text-sm"
              />
              <button
                type="submit"
                className="rounded-md px-3 py-1.5 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
              >
                Find
              </button>
            </form>
          </div>
          <div className="space-y-4">
            {nodes.total === 0 && nodeSearch ? (
              <p className="rounded-xl border border-slate-200 bg-white p-5 text-sm text-slate-600">
                No node&apos;s host name contains “{nodeSearch}”.{" "}
                <Link href={hrefWith({ node: undefined, nodesPage: undefined })} className="font-medium text-indigo-700 hover:underline">
                  Show all nodes
                </Link>
              </p>
            ) : nodes.total === 0 ? (
              <EmptyState icon={Server} title="No nodes yet">
                Nodes (primary, replicas, PgBouncer, pgpool-II) get server certificates whose names cover{" "}
                {cluster.sharedDnsNames.length ? cluster.sharedDnsNames.join(", ") : "their host names"} and their own addresses.
              </EmptyState>
            ) : (
              <>
                <NodesTable nodes={nodes.rows} clusterId={cluster.id} canDownload={canManage} />
                {nodes.total > nodes.pageSize ? (
                  <Pagination
                    page={nodes.page}
                    pageSize={nodes.pageSize}
                    total={nodes.total}
                    hrefFor={(page) => hrefWith({ nodesPage: String(page) })}
                    noun="nodes"
                  />
                ) : null}
              </>
            )}
            {canManage ? (
              <div className="rounded-xl border border-slate-200 bg-white p-5">
                <AddNodeForm clusterId={cluster.id} sharedDnsNames={cluster.sharedDnsNames} />
              </div>
            ) : null}
          </div>
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
            {clientCertificates.total > 0 ? (
              <div className="mt-6 space-y-2">
                <ClientCertificatesTable rows={clientCertificates.rows} canRevoke={canManage} />
                <p className="text-sm text-slate-500">
                  {clientCertificates.total > clientCertificates.rows.length
                    ? `The ${clientCertificates.rows.length} soonest to expire of ${clientCertificates.total} active. `
                    : ""}
                  <Link href={clientListHref} className="font-medium text-indigo-700 hover:underline">
                    All client certificates, including revoked →
                  </Link>
                </p>
              </div>
            ) : null}
          </section>
        ) : null}
      </div>
    </>
  );
}
