"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { connectAgentAction } from "@/lib/actions/node-actions";
import { agentSystemdUnit } from "@/lib/agent/systemd-unit";

type ConnectAgentProps = {
  nodeId: string;
  hostname: string;
  canManage: boolean;
  connected: boolean;
  dataDirectory: string;
  osOwner: string;
  service: "postgres" | "pgbouncer" | "pgpool";
  port: number;
};

/**
 * How to connect the node's agent: where to get it, a one-time enrollment code (shown once), the
 * enroll command and a systemd unit. Enrolling makes the key on the node; only its CSR comes here.
 * With an agent connected, a new code enrolls again (the old credential is replaced).
 */
export function ConnectAgent({ nodeId, hostname, canManage, connected, dataDirectory, osOwner, service, port }: ConnectAgentProps) {
  const [pending, startTransition] = useTransition();
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const origin = typeof window === "undefined" ? "https://cluster-tls.example" : window.location.origin;
  const connect = () =>
    startTransition(async () => {
      const formData = new FormData();
      formData.set("nodeId", nodeId);
      const result = await connectAgentAction(null, formData);
      if (result.ok) setCode(result.data);
      else toast.error(result.error.message);
    });
  const enroll = `node cluster-tls.mjs agent enroll --server ${origin} --code ${code?.code ?? "<code>"} --config /etc/cluster-tls/agent.json --data-dir ${dataDirectory} --owner ${osOwner} --service ${service} --verify-address ${hostname}:${port}`;

  return (
    <div className="space-y-3">
      <p className="text-slate-600">
        The agent installs this node&apos;s certificate and CRL, reloads the server, and proves what it serves. Get it from{" "}
        <a className="underline" href="/api/v1/tools/cluster-tls.mjs">
          /api/v1/tools/cluster-tls.mjs
        </a>{" "}
        (Node ≥ 18, no npm install; SHA-256 at{" "}
        <a className="underline" href="/api/v1/tools/cluster-tls.mjs.sha256">
          …/cluster-tls.mjs.sha256
        </a>
        ).
      </p>
      {canManage ? (
        <Button size="sm" variant="secondary" disabled={pending} aria-busy={pending || undefined} onClick={connect}>
          {connected ? "Enroll again (new code)" : "Connect agent"}
        </Button>
      ) : null}
      {code ? (
        <SecretReveal
          title={`Enrollment code for ${hostname}: shown once, works once, until ${code.expiresAt}`}
          value={code.code}
          testId="enrollment-code"
        />
      ) : null}
      <pre className="overflow-x-auto rounded bg-slate-50 p-3 font-mono text-xs">{enroll}</pre>
      <details>
        <summary className="cursor-pointer text-slate-700">systemd unit (/etc/systemd/system/cluster-tls-agent.service)</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 font-mono text-xs">{agentSystemdUnit()}</pre>
      </details>
    </div>
  );
}
