"use client";

import { Radar } from "lucide-react";
import { useActionState } from "react";
import { probeNodeAction } from "@/lib/actions/node-actions";
import { Button } from "@/components/ui/button";
import type { ProbeStatus } from "@/lib/services/nodes/probe-node";

const VERDICT: Record<ProbeStatus, { label: string; tone: string }> = {
  current: { label: "Serving the current certificate", tone: "text-emerald-700" },
  older: { label: "Serving an older certificate — reload needed", tone: "text-amber-700" },
  foreign: { label: "Serving a certificate cluster-tls did not issue", tone: "text-red-700" },
  unreachable: { label: "Unreachable", tone: "text-red-700" },
  "tls-off": { label: "TLS is off", tone: "text-red-700" },
  "handshake-failed": { label: "TLS handshake failed", tone: "text-red-700" },
};

/**
 * Dials the node as a client would and says whether it serves the certificate cluster-tls issued.
 * "Probe now" is for admins (`canProbe`); everyone who sees the node sees the last verdict.
 */
export function LiveProbe({
  nodeId,
  target,
  last,
  canProbe,
}: {
  nodeId: string;
  target: string;
  last: { status: ProbeStatus; detail: string; at: Date } | null;
  canProbe: boolean;
}) {
  const [state, probe, pending] = useActionState(probeNodeAction, null);
  return (
    <section aria-labelledby="probe-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="probe-heading" className="text-base font-semibold">
            Live TLS probe
          </h2>
          <p className="mt-1 text-sm text-slate-500">
            Connects to {target} (PostgreSQL SSLRequest, or direct TLS) and compares what it serves with what was issued.
          </p>
        </div>
        {canProbe ? (
          <form action={probe}>
            <input type="hidden" name="nodeId" value={nodeId} />
            <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-busy={pending || undefined}>
              <Radar aria-hidden className="size-4" /> {pending ? "Probing…" : "Probe now"}
            </Button>
          </form>
        ) : null}
      </div>
      {state ? (
        <div role="status" className="mt-4 text-sm">
          {state.ok ? (
            <>
              <p className={`font-semibold ${VERDICT[state.data.status].tone}`}>{VERDICT[state.data.status].label}</p>
              <p className="mt-1 text-slate-600">{state.data.detail}</p>
              {state.data.served ? (
                <p className="mt-1 font-mono text-xs text-slate-500">
                  served: serial {state.data.served.serialHex}, until {state.data.served.notAfter.slice(0, 10)}
                </p>
              ) : null}
            </>
          ) : (
            <p className="text-red-700">{state.error.message}</p>
          )}
        </div>
      ) : last ? (
        <div className="mt-4 text-sm">
          <p className={`font-semibold ${VERDICT[last.status]?.tone ?? ""}`}>{VERDICT[last.status]?.label ?? last.status}</p>
          <p className="mt-1 text-slate-600">
            {last.detail} <span className="text-slate-500">(last probe {last.at.toISOString().slice(0, 16).replace("T", " ")} UTC)</span>
          </p>
        </div>
      ) : (
        <p className="mt-4 text-sm text-slate-500">Not probed yet: the probe job runs every 15 minutes.</p>
      )}
    </section>
  );
}
