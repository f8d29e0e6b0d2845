"use client";

import { ActionButton } from "@/components/ui/action-button";
import { reissueAllNodesAction } from "@/lib/actions/node-actions";
import type { BulkReissueResult } from "@/lib/services/nodes/bulk-reissue";

function summary({ total, reissued, failed }: BulkReissueResult): string {
  if (failed.length === 0) return `Re-issued all ${reissued} server certificates. Download and install the new bundles.`;
  return `Re-issued ${reissued} of ${total}; ${failed.length} failed (${failed
    .slice(0, 3)
    .map((f) => `${f.hostname}: ${f.error}`)
    .join("; ")}${failed.length > 3 ? "; …" : ""}).`;
}

/** Re-issues every node's server certificate of the cluster in one bulk run, after a confirmation. */
export function ReissueAllButton({ clusterId, nodeCount }: { clusterId: string; nodeCount: number }) {
  return (
    <ActionButton
      action={reissueAllNodesAction}
      fields={{ clusterId }}
      successMessage={summary}
      disabled={nodeCount === 0}
      confirm={{
        title: `Re-issue all ${nodeCount.toLocaleString("en")} server certificates?`,
        body: "Every node gets a new key and certificate with its current names; the previous certificates are superseded, not revoked. Nodes keep serving the old ones until their new bundles are installed. Nodes keyed by their own CSR keep their key.",
        confirmLabel: "Re-issue all",
        tone: "primary",
      }}
    >
      Re-issue all
    </ActionButton>
  );
}
