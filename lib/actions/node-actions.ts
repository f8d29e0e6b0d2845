"use server";

import { z } from "zod";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";
import { disconnectAgent } from "@/lib/services/agents/disconnect-agent";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { removeNode } from "@/lib/services/nodes/remove-node";
import { checkVerifyFull } from "@/lib/services/nodes/check-verify-full";
import { probeNode } from "@/lib/services/nodes/probe-node";
import { ZAddNodeInput, ZReissueNodeInput, ZSignNodeCsrInput } from "@/lib/validations/nodes";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";
import type { SessionContext } from "@/lib/auth/session-context";

export const addNodeAction = userAction(
  "node.create",
  ZAddNodeInput.extend({ clusterId: z.string().uuid() }),
  async ({ clusterId, ...input }, { db, actor, keyRing }) => {
    const { node, certificate } = await addNode(db, actor, keyRing, clusterId, input);
    revalidateCertificateViews();
    return { hostname: node.hostname, serial: certificate.serialHex };
  },
);

/** Re-issue the node a form names: a new key made here, or (with csrPem) the node's own CSR signed. */
async function reissueFromForm(
  { nodeId, ...input }: { nodeId: string } & Parameters<typeof reissueNodeCertificate>[4],
  { db, actor, keyRing }: SessionContext,
) {
  const { node, certificate } = await reissueNodeCertificate(db, actor, keyRing, nodeId, input);
  revalidateCertificateViews();
  return { hostname: node.hostname, serial: certificate.serialHex };
}

// The same contracts as POST /api/v1/nodes/{node}/reissue and /csr, plus the node the form names.
export const reissueNodeAction = userAction("node.reissue", ZReissueNodeInput.extend({ nodeId: z.string().uuid() }), reissueFromForm);

export const signNodeCsrAction = userAction("node.sign_csr", ZSignNodeCsrInput.extend({ nodeId: z.string().uuid() }), reissueFromForm);

export const reissueAllNodesAction = userAction(
  "cluster.reissue_nodes",
  z.object({ clusterId: z.string().uuid() }),
  async ({ clusterId }, { db, actor, keyRing }) => {
    const result = await bulkReissueNodes(db, actor, keyRing, clusterId);
    revalidateCertificateViews();
    return result;
  },
);

export const removeNodeAction = userAction(
  "node.remove",
  z.object({ nodeId: z.string().uuid() }),
  async ({ nodeId }, { db, actor, keyRing }) => {
    const { node, revokedSerials } = await removeNode(db, actor, keyRing, nodeId);
    revalidateCertificateViews();
    return { hostname: node.hostname, revokedCount: revokedSerials.length };
  },
);

export const checkVerifyFullAction = userAction(
  "node.check_verify_full",
  z.object({ nodeId: z.string().uuid(), host: z.string().trim().min(1, "Enter the name or address clients dial").max(253) }),
  async ({ nodeId, host }, { db, actor }) => checkVerifyFull(db, actor, nodeId, host),
);

export const probeNodeAction = userAction("node.probe", z.object({ nodeId: z.string().uuid() }), async ({ nodeId }, { db, actor }) =>
  probeNode(db, actor, nodeId),
);

/** "Connect agent": the one-time enrollment code, returned to the page once and never stored in clear. */
export const connectAgentAction = userAction(
  "agent.enrollment_code.create",
  z.object({ nodeId: z.string().uuid() }),
  async ({ nodeId }, { db, actor }) => {
    const { code, expiresAt, hostname } = await createEnrollmentCode(db, actor, nodeId);
    return { code, hostname, expiresAt: expiresAt.toISOString() };
  },
);

/** "Disconnect": the agent's credential stops working; the node page says whether a Re-issue is needed. */
export const disconnectAgentAction = userAction(
  "agent.disconnect",
  z.object({ nodeId: z.string().uuid() }),
  async ({ nodeId }, { db, actor }) => {
    const result = await disconnectAgent(db, actor, nodeId);
    revalidateCertificateViews();
    return result;
  },
);
