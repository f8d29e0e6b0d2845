import { CheckCircle2, CircleHelp, XCircle } from "lucide-react";
import { formatUtc } from "@/lib/format/dates";
import type { NodeEvidence, RotationEvidence, Verdict } from "@/lib/services/rotation/get-rotation-evidence";

type Aspect = "trust" | "serve";

const WORDS: Record<Aspect, Record<Verdict, string>> = {
  trust: { yes: "trusts the new CA", no: "does not trust the new CA yet", unknown: "unknown" },
  serve: { yes: "serves a certificate from the new CA", no: "still serves a certificate from the old CA", unknown: "unknown" },
};

/**
 * Step 2's "N of M nodes trust the new CA" and step 3's "N of M serve from it", with the node
 * list behind the count: what each agent reported, or the last live probe for a node without one.
 */
export function NodeEvidenceList({ evidence, aspect }: { evidence: RotationEvidence; aspect: Aspect }) {
  const count = aspect === "trust" ? evidence.trusting : evidence.serving;
  const heading =
    aspect === "trust"
      ? `${count} of ${evidence.total} nodes trust the new CA`
      : `${count} of ${evidence.total} nodes serve a certificate from the new CA`;
  return (
    <section aria-label={heading} className="space-y-2">
      <p className="font-medium">{heading}</p>
      {evidence.nodes.length > 0 ? (
        <ul
          className="divide-y divide-slate-100 rounded-md border border-slate-200"
          aria-label={aspect === "trust" ? "Trust of the new CA per node" : "Certificate served per node"}
        >
          {evidence.nodes.map((node) => (
            <NodeRow key={node.nodeId} node={node} aspect={aspect} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function NodeRow({ node, aspect }: { node: NodeEvidence; aspect: Aspect }) {
  const verdict = aspect === "trust" ? node.trustsNewCa : node.servesNewCa;
  const Icon = verdict === "yes" ? CheckCircle2 : verdict === "no" ? XCircle : CircleHelp;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-xs">
      <Icon
        aria-hidden
        className={`size-4 ${verdict === "yes" ? "text-emerald-600" : verdict === "no" ? "text-red-600" : "text-slate-400"}`}
      />
      <span className="font-mono">{node.hostname}</span>
      <span className={verdict === "no" ? "text-red-700" : verdict === "yes" ? "text-emerald-700" : "text-slate-500"}>
        {WORDS[aspect][verdict]}
        {verdict === "unknown" ? ` (${unknownBecause(node, aspect)})` : null}
      </span>
      <span className="ml-auto text-slate-500">{source(node)}</span>
    </li>
  );
}

function unknownBecause(node: NodeEvidence, aspect: Aspect): string {
  if (node.agent) return "its agent has not reported yet";
  if (aspect === "trust") return "no agent: a probe sees the served certificate, not ssl_ca_file";
  return node.source === "probe" ? "no agent; the last probe could not read the served certificate" : "no agent, not probed yet";
}

function source(node: NodeEvidence): string {
  if (node.agent) return node.lastSeenAt ? `agent, last report ${formatUtc(node.lastSeenAt)}` : "agent, no report yet";
  return node.lastSeenAt ? `no agent, probed ${formatUtc(node.lastSeenAt)}` : "no agent";
}

/**
 * Step 4's gate as the admin sees it: the agent nodes without the new chain, and the box to type
 * their count to retire anyway. The server checks the count again; this only explains the refusal.
 */
export function LaggingNodes({
  lagging,
  typed,
  onType,
}: {
  lagging: NodeEvidence[];
  typed: string;
  onType: ((value: string) => void) | null;
}) {
  const count = lagging.length;
  return (
    <div role="alert" className="space-y-2 rounded-md bg-red-50 p-3 text-red-900 ring-1 ring-inset ring-red-200">
      <p className="font-medium">
        {count} node{count === 1 ? "" : "s"} with an agent {count === 1 ? "does" : "do"} not have the new CA&apos;s chain yet:
      </p>
      <ul className="list-inside list-disc">
        {lagging.map((node) => (
          <li key={node.nodeId}>
            <span className="font-mono text-xs">{node.hostname}</span>: {node.trustsNewCa === "yes" ? "" : "does not trust the new CA; "}
            {node.servesNewCa === "yes" ? "" : "does not serve a certificate from the new CA; "}
            {node.lastSeenAt ? `last report ${formatUtc(node.lastSeenAt)}` : "never reported"}
          </li>
        ))}
      </ul>
      <p>
        Retiring now leaves {count === 1 ? "it" : "them"} serving a chain clients stop trusting. Wait for the agents to catch up (start a
        stopped one), or type {count} to retire anyway.
      </p>
      {onType ? (
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Number of nodes listed, to retire anyway</span>
          <input
            value={typed}
            onChange={(e) => onType(e.target.value)}
            inputMode="numeric"
            className="w-24 rounded-md border border-red-300 bg-white px-2.5 py-1.5 text-sm"
          />
        </label>
      ) : null}
    </div>
  );
}
