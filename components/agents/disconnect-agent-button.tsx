"use client";

import { ActionButton } from "@/components/ui/action-button";
import { disconnectAgentAction } from "@/lib/actions/node-actions";

/**
 * "Disconnect" with a confirmation naming the node. When cluster-tls holds no key for the node
 * (the agent made it there), the dialog and the result say a Re-issue is needed first.
 */
export function DisconnectAgentButton({
  nodeId,
  hostname,
  serverKeyStored,
}: {
  nodeId: string;
  hostname: string;
  serverKeyStored: boolean;
}) {
  const body = serverKeyStored
    ? "Its node credential stops working at once; the files on the node stay as they are."
    : `Its node credential stops working at once; the files on the node stay as they are. The key of ${hostname} was made on the node and cluster-tls holds none: Re-issue (a new key) before you can download a server bundle for it here again.`;
  return (
    <ActionButton
      action={disconnectAgentAction}
      fields={{ nodeId }}
      variant="danger"
      successMessage={(data) =>
        `Disconnected the agent of ${data.hostname}${data.reissueNeeded ? "; Re-issue to manage it from here again" : ""}`
      }
      confirm={{ title: `Disconnect the agent of ${hostname}?`, body, confirmLabel: "Disconnect" }}
    >
      Disconnect
    </ActionButton>
  );
}
