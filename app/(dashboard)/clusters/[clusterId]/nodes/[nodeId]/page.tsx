import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AgentCard } from "@/components/agents/agent-card";
import { RevokeButton } from "@/components/certificates/revoke-button";
import { ReissueButton } from "@/components/clusters/reissue-button";
import { CertificateDetails } from "@/components/nodes/certificate-details";
import { CertificateHistory } from "@/components/nodes/certificate-history";
import { LiveProbe } from "@/components/nodes/live-probe";
import { SignCsrButton } from "@/components/nodes/sign-csr-button";
import { VerifyFullCheck } from "@/components/nodes/verify-full-check";
import { AppHeader } from "@/components/shell/app-header";
import { BreakableText } from "@/components/ui/breakable-text";
import { ActionButton } from "@/components/ui/action-button";
import { DownloadLink } from "@/components/ui/download-link";
import { removeNodeAction } from "@/lib/actions/node-actions";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { formatUtc } from "@/lib/format/dates";
import { NODE_ROLE_LABELS } from "@/lib/format/node-roles";
import { getNodeAgent } from "@/lib/services/agents/get-node-agent";
import { getNodeDetails } from "@/lib/services/nodes/get-node-details";
import { serverCertDaysOf } from "@/lib/services/nodes/issue-for-node";
import type { ProbeStatus } from "@/lib/services/nodes/probe-node";

export const metadata: Metadata = { title: "Node" };

export default async function NodePage({ params }: { params: Promise<{ clusterId: string; nodeId: string }> }) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const { clusterId, nodeId } = await params;
  const details = await getNodeDetails(db, user, nodeId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { node, cluster, current, history } = details;
  if (cluster.id !== clusterId) notFound();
  const canManage = isAllowed(user, "cluster:manage", { clusterId: cluster.id });
  const clusterHref = `/clusters/${cluster.id}`;
  const agent = await getNodeAgent(db, user, node.id);

  return (
    <>
      <AppHeader
        title={node.hostname}
        description={`${NODE_ROLE_LABELS[node.role]} · port ${node.port} · added ${formatUtc(node.createdAt)}`}
        back={{ href: clusterHref, label: cluster.name }}
        actions={
          canManage ? (
            <>
              <ReissueButton nodeId={node.id} hostname={node.hostname} size="md" keepsNodeKey={current?.fromCsr ?? false} />
              <SignCsrButton
                nodeId={node.id}
                hostname={node.hostname}
                names={[node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames, ...node.ipAddresses]}
                maxDays={serverCertDaysOf(cluster)}
              />
              {current ? <RevokeButton serial={current.serialHex} name={`the certificate of ${node.hostname}`} size="md" /> : null}
              {current ? <DownloadLink href={`${clusterHref}/nodes/${node.id}/bundle`}>Server bundle</DownloadLink> : null}
              <ActionButton
                action={removeNodeAction}
                fields={{ nodeId: node.id }}
                variant="danger"
                successMessage={`Removed ${node.hostname}; its certificates are revoked`}
                redirectTo={clusterHref}
                confirm={{
                  title: `Remove ${node.hostname}?`,
                  body: "Every certificate this node holds is revoked (cessation of operation) and the CRL re-signed. The history stays. This cannot be undone.",
                  confirmLabel: "Remove node",
                }}
              >
                Remove node
              </ActionButton>
            </>
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-6 px-4 py-8 sm:px-8 xl:grid-cols-3">
        <div className="xl:col-span-2">
          {current ? (
            <CertificateDetails certificate={current} />
          ) : (
            <div role="status" className="rounded-xl border border-amber-200 bg-amber-50 p-5 text-sm text-amber-900">
              <p className="font-semibold">No active server certificate.</p>
              <p className="mt-1">Its last certificate was revoked. Re-issue to give {node.hostname} a new one, then install its bundle.</p>
            </div>
          )}
        </div>
        <section aria-labelledby="node-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="node-heading" className="text-base font-semibold">
            Node
          </h2>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Role</dt>
            <dd>{NODE_ROLE_LABELS[node.role]}</dd>
            <dt className="text-slate-500">Extra names</dt>
            <dd className="min-w-0">
              <BreakableText text={node.dnsNames.join(", ") || "—"} />
            </dd>
            <dt className="text-slate-500">Addresses</dt>
            <dd className="min-w-0">
              <BreakableText text={node.ipAddresses.join(", ") || "—"} />
            </dd>
            <dt className="text-slate-500">Cluster names</dt>
            <dd className="min-w-0">
              <BreakableText text={cluster.sharedDnsNames.join(", ") || "—"} />
            </dd>
            <dt className="text-slate-500">Data directory</dt>
            <dd className="min-w-0 font-mono text-xs leading-5">
              <BreakableText text={cluster.dataDirectory} />
            </dd>
          </dl>
        </section>
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2 xl:col-span-3">
          <VerifyFullCheck nodeId={node.id} hostname={node.hostname} />
          <AgentCard agent={agent} node={node} cluster={cluster} canManage={canManage} />
          <LiveProbe
            nodeId={node.id}
            target={`${node.hostname}:${node.port}`}
            canProbe={isAllowed(user, "node:probe", { clusterId: cluster.id })}
            last={
              node.lastProbedAt && node.lastProbeStatus
                ? { status: node.lastProbeStatus as ProbeStatus, detail: node.lastProbeDetail ?? "", at: node.lastProbedAt }
                : null
            }
          />
        </div>
        <section aria-labelledby="history-heading" className="xl:col-span-3">
          <h2 id="history-heading" className="mb-3 text-base font-semibold">
            History
          </h2>
          <CertificateHistory history={history} />
        </section>
      </div>
    </>
  );
}
