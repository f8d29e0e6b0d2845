import { Server } from "lucide-react";
import { connection } from "next/server";
import { AppHeader } from "@/components/shell/app-header";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { StatCard } from "@/components/ui/stat-card";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { getOverview } from "@/lib/services/get-overview";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionUser } from "@/lib/auth/current-user";

export default async function OverviewPage() {
  await connection(); // reads the database: never prerender at build time
  const { database } = await getRuntime();
  const user = await requireSessionUser();
  const overview = await getOverview(database.db, user);
  const canManage = isAllowed(user, "cluster:manage");

  return (
    <>
      <AppHeader title="Overview" description="Every cluster, every certificate, and what expires next." />
      <div className="space-y-8 px-8 py-8">
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
        {overview.clusters === 0 && canManage ? (
          <EmptyState
            icon={Server}
            title="No clusters yet — create one"
            action={<ButtonLink href="/clusters/new">Create cluster</ButtonLink>}
          >
            A cluster gets its own certificate authority. Add its nodes and cluster-tls issues server
            certificates whose names match how clients connect, ready for <code>sslmode=verify-full</code>.
          </EmptyState>
        ) : null}
      </div>
    </>
  );
}
