import { Plus, Server } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AppHeader } from "@/components/shell/app-header";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { requireSessionContext } from "@/lib/auth/session-context";
import { isAllowed } from "@/lib/access/permissions";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const clusters = await listClusters(db, user);
  const canManage = isAllowed(user, "cluster:manage");

  return (
    <>
      <AppHeader
        title="Clusters"
        description="PostgreSQL deployments and their certificate authorities."
        actions={
          canManage ? (
            <ButtonLink href="/clusters/new">
              <Plus aria-hidden className="size-4" />
              New cluster
            </ButtonLink>
          ) : null
        }
      />
      <div className="px-4 sm:px-8 py-8">
        {clusters.length === 0 ? (
          canManage ? (
            <EmptyState
              icon={Server}
              title="No clusters yet — create one"
              action={<ButtonLink href="/clusters/new">Create cluster</ButtonLink>}
            >
              Each cluster has its own root CA, nodes (primary, replicas, poolers) and client certificates.
            </EmptyState>
          ) : (
            <EmptyState icon={Server} title="No clusters to show">
              An administrator grants access to clusters and the database users you may request certificates for.
            </EmptyState>
          )
        ) : (
          <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
            {clusters.map((cluster) => (
              <li key={cluster.id}>
                <Link href={`/clusters/${cluster.id}`} className="flex items-center justify-between px-5 py-4 hover:bg-slate-50">
                  <span className="font-medium text-slate-900">{cluster.name}</span>
                  <span className="text-sm text-slate-500">
                    {cluster.nodeCount} {cluster.nodeCount === 1 ? "node" : "nodes"} · {cluster.keyAlgorithm}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
