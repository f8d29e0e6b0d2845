import { AgentVerdictBadge } from "@/components/agents/on-node-badge";
import { ConnectAgent } from "@/components/nodes/connect-agent";
import { DisconnectAgentButton } from "@/components/agents/disconnect-agent-button";
import { formatUtc } from "@/lib/format/dates";
import { formatRelative } from "@/lib/format/relative";
import type { getNodeAgent } from "@/lib/services/agents/get-node-agent";

type Agent = NonNullable<Awaited<ReturnType<typeof getNodeAgent>>>;
type AgentCardProps = {
  agent: Agent | null;
  node: { id: string; hostname: string; port: number; role: string };
  cluster: { dataDirectory: string; osOwner: string };
  canManage: boolean;
  now?: Date;
};

const VERDICT_TEXT = {
  current: "installed and served: the certificate issued now, and the current CRL",
  behind: "a newer certificate or CRL waits for the agent's next poll",
  failed: "its last install failed: the node keeps its previous files",
  stale: "no report for three poll intervals: what it said last may no longer hold",
} as const;

function Serial({ value, issued }: { value: string | null | undefined; issued: string | null }) {
  if (!value) return <span className="text-slate-500">—</span>;
  return <span className={`font-mono text-xs ${issued && value !== issued ? "text-amber-800" : ""}`}>{value}</span>;
}

/**
 * The node's agent on the node page: when it last reported, what is issued vs installed vs served,
 * the CRL it holds vs the cluster's, its last install and error (PostgreSQL's reason as the agent
 * read it), and Connect / Disconnect for admins.
 */
export function AgentCard({ agent, node, cluster, canManage, now = new Date() }: AgentCardProps) {
  const status = agent?.lastStatus ?? null;
  const service = node.role === "pgbouncer" ? "pgbouncer" : node.role === "pgpool" ? "pgpool" : "postgres";
  return (
    <section aria-labelledby="agent-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-5 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 id="agent-heading" className="text-base font-semibold">
          Agent
        </h2>
        {agent ? <AgentVerdictBadge verdict={agent.verdict} /> : null}
      </div>
      {agent ? (
        <>
          <p role="status" className="text-slate-600">
            {agent.prefix}: {VERDICT_TEXT[agent.verdict]}.
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2" aria-label={`Agent of ${node.hostname}`}>
            <dt className="text-slate-500">Last seen</dt>
            <dd>
              {agent.lastStatusAt ? (
                <>
                  {formatRelative(agent.lastStatusAt, now)}{" "}
                  <span className="text-slate-500">
                    ({formatUtc(agent.lastStatusAt)}, polls every {agent.pollIntervalSeconds} s)
                  </span>
                </>
              ) : (
                `no report yet (enrolled ${formatUtc(agent.enrolledAt)})`
              )}
            </dd>
            <dt className="text-slate-500">Issued</dt>
            <dd>
              <Serial value={agent.issuedSerial} issued={null} />
            </dd>
            <dt className="text-slate-500">Installed</dt>
            <dd>
              <Serial value={status?.installedSerial} issued={agent.issuedSerial} />
            </dd>
            <dt className="text-slate-500">Served</dt>
            <dd>
              <Serial value={status?.servedSerial} issued={agent.issuedSerial} />
            </dd>
            <dt className="text-slate-500">CRL</dt>
            <dd>
              installed no. {agent.crl.installedNumber?.toString() ?? "—"} of current no. {agent.crl.currentNumber?.toString() ?? "—"}
              <span className="block text-slate-500">
                {agent.crl.installedNextUpdate ? `installed valid until ${formatUtc(agent.crl.installedNextUpdate)}` : "none installed"}
                {agent.crl.currentNextUpdate ? ` · current valid until ${formatUtc(agent.crl.currentNextUpdate)}` : ""}
              </span>
            </dd>
            <dt className="text-slate-500">Last install</dt>
            <dd>
              {status?.lastInstall ? (
                <span className={status.lastInstall.ok ? "" : "font-semibold text-red-700"}>
                  {status.lastInstall.ok ? "succeeded" : "failed"} {formatUtc(new Date(status.lastInstall.at))}
                </span>
              ) : (
                "—"
              )}
            </dd>
            {status?.lastInstall?.error || status?.error ? (
              <>
                <dt className="text-slate-500">Last error</dt>
                <dd className="min-w-0 whitespace-pre-wrap break-words text-red-700" data-testid="agent-error">
                  {status.lastInstall?.error ?? status.error}
                </dd>
              </>
            ) : null}
            <dt className="text-slate-500">Version</dt>
            <dd>{status?.agentVersion ?? "—"}</dd>
          </dl>
          {agent.renewalRequestedAt ? (
            <p className="text-slate-600">
              A new key was requested {formatUtc(agent.renewalRequestedAt)}: the agent makes it on its next poll.
            </p>
          ) : null}
          {canManage ? <DisconnectAgentButton nodeId={node.id} hostname={node.hostname} serverKeyStored={agent.serverKeyStored} /> : null}
        </>
      ) : null}
      <ConnectAgent
        nodeId={node.id}
        hostname={node.hostname}
        canManage={canManage}
        connected={agent !== null}
        dataDirectory={cluster.dataDirectory}
        osOwner={cluster.osOwner}
        service={service}
        port={node.port}
      />
    </section>
  );
}
