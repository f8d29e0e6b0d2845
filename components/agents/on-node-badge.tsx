import type { OnNode } from "@/lib/services/nodes/list-nodes";
import type { AgentVerdict } from "@/lib/services/agents/agent-verdict";

const TONES = {
  good: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  wait: "bg-amber-50 text-amber-800 ring-amber-600/20",
  bad: "bg-red-50 text-red-700 ring-red-600/20",
  none: "bg-slate-100 text-slate-600 ring-slate-500/20",
} as const;

const VERDICT_TONES: Record<AgentVerdict, keyof typeof TONES> = { current: "good", behind: "wait", failed: "bad", stale: "bad" };
const PROBE_TONES: Record<string, keyof typeof TONES> = { current: "good", older: "wait" };

function Badge({ tone, label, title }: { tone: keyof typeof TONES; label: string; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${TONES[tone]}`}
    >
      {label}
    </span>
  );
}

/** The agent's verdict on what the node holds: current / behind / failed / stale. */
export function AgentVerdictBadge({ verdict }: { verdict: AgentVerdict }) {
  return <Badge tone={VERDICT_TONES[verdict]} label={verdict} />;
}

/** "On node": the agent's verdict, else the last live probe ("probe: current"), else "no agent". */
export function OnNodeBadge({ onNode }: { onNode: OnNode }) {
  if (onNode.source === "agent") return <AgentVerdictBadge verdict={onNode.verdict} />;
  if (onNode.source === "probe")
    return (
      <Badge
        tone={PROBE_TONES[onNode.status] ?? "bad"}
        label={`no agent · probe: ${onNode.status}`}
        title={`last live probe ${onNode.at.toISOString()}`}
      />
    );
  return <Badge tone="none" label="no agent" />;
}
