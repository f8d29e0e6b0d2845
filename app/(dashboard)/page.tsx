import { Server } from "lucide-react";
import { connection } from "next/server";
import { Suspense } from "react";
import { ExpiringBanner } from "@/components/certificates/expiring-banner";
import { ClusterHealthTable } from "@/components/clusters/cluster-health-table";
import { AppHeader } from "@/components/shell/app-header";
import { DeveloperHome } from "@/components/home/developer-home";
import { DeferredTimeline, TimelineSkeleton } from "@/components/timeline/deferred-timeline";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { StatCard } from "@/components/ui/stat-card";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { listMyDatabaseAccess } from "@/lib/services/access/list-my-database-access";
import { listMyClientCertificates } from "@/lib/services/certificates/list-my-client-certificates";
import { listMyExpiringCertificates } from "@/lib/services/certificates/list-my-expiring-certificates";
import { countCertificatesByCluster } from "@/lib/services/clusters/count-certificates-by-cluster";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { getOverview } from "@/lib/services/get-overview";
import { getExpiryTimeline } from "@/lib/services/timeline/get-expiry-timeline";
import { timelineRangeOf } from "@/lib/timeline/layout";

const EMPTY_COUNTS = { active: 0, expiring: 0, expired: 0, revoked: 0 };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ timeline?: string }> }) {
  await connection(); // reads the database: never prerender at build time
  const { timeline } = await searchParams;
  const range = timelineRangeOf(timeline);
  const { db, actor: user } = await requireSessionContext();
  // A developer comes for client bundles: their start page is their clusters and database users.
  if (user.role === "developer") {
    const [access, held] = await Promise.all([listMyDatabaseAccess(db, user), listMyClientCertificates(db, user)]);
    return (
      <>
        <AppHeader
          title="Your database access"
          description="A client bundle for each database user you may use, and when the certificates you hold expire."
        />
        <DeveloperHome access={access} held={held} />
      </>
    );
  }
  const [overview, clusters, mine] = await Promise.all([
    getOverview(db, user),
    listClusters(db, user),
    listMyExpiringCertificates(db, user),
  ]);
  const counts = await countCertificatesByCluster(
    db,
    clusters.map((c) => c.id),
  );
  const canManage = isAllowed(user, "cluster:manage");

  return (
    <>
      <AppHeader title="Overview" description="Every cluster, every certificate, and what expires next." />
      <div className="space-y-8 px-4 py-8 sm:px-8">
        <ExpiringBanner certificates={mine} />
        <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <StatCard label="Clusters" value={overview.clusters} />
          <StatCard label="Nodes" value={overview.nodes} />
          <StatCard label="Active certificates" value={overview.activeCertificates} />
          <StatCard
            label="Expiring within 30 days"
            value={overview.expiringWithin30Days}
            tone={overview.expiringWithin30Days > 0 ? "warning" : "default"}
          />
        </dl>
        {clusters.length === 0 ? (
          canManage ? (
            <EmptyState
              icon={Server}
              title="No clusters yet — create one"
              action={<ButtonLink href="/clusters/new">Create cluster</ButtonLink>}
            >
              A cluster gets its own certificate authority. Add its nodes and cluster-tls issues server certificates whose names match how
              clients connect, ready for <code>sslmode=verify-full</code>.
            </EmptyState>
          ) : (
            <EmptyState icon={Server} title="No clusters shared with you yet">
              An admin grants access per cluster; ask them for the clusters you work on.
            </EmptyState>
          )
        ) : (
          <>
            <ClusterHealthTable rows={clusters.map((c) => ({ ...c, counts: counts.get(c.id) ?? EMPTY_COUNTS }))} />
            <Suspense fallback={<TimelineSkeleton />}>
              <DeferredTimeline
                data={getExpiryTimeline(db, user)}
                range={range}
                hrefForRange={(r) => `/?timeline=${r}`}
                listHref="/certificates"
                showClusterNames
              />
            </Suspense>
          </>
        )}
      </div>
    </>
  );
}
