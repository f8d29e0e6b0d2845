"use server";

import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";
import { disconnectAgent } from "@/lib/services/agents/disconnect-agent";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { removeNode } from "@/lib/services/nodes/remove-node";
import { checkVerifyFull } from "@/lib/services/nodes/check-verify-full";
import { probeNode } from "@/lib/services/nodes/probe-node";
import { emptyToUndefined } from "@/lib/validations/empty-to-undefined";
import { ZAddNodeInput } from "@/lib/validations/nodes";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const addNodeAction = userAction(ZAddNodeInput.extend({ clusterId: z.string().uuid() }), async ({ clusterId, ...input }, user) => {
  const { database, keyRing } = await getRuntime();
  const { node, certificate } = await addNode(database.db, user, keyRing, clusterId, input);
  revalidateCertificateViews();
  return { hostname: node.hostname, serial: certificate.serialHex };
});

export const reissueNodeAction = userAction(
  z.object({ nodeId: z.string().uuid(), revokePrevious: z.enum(["on", "true", "false"]).optional() }),
  async ({ nodeId, revokePrevious }, user) => {
    const { database, keyRing } = await getRuntime();
    const { node, certificate } = await reissueNodeCertificate(database.db, user, keyRing, nodeId, { revokePrevious: revokePrevious === "on" || revokePrevious === "true" });
    revalidateCertificateViews();
    return { hostname: node.hostname, serial: certificate.serialHex };
  },
);

export const signNodeCsrAction = userAction(
  z.object({
    nodeId: z.string().uuid(),
    csrPem: z.string().trim().min(1, "Paste the node's certificate signing request").max(64 * 1024, "A CSR is a few kilobytes: this is too large"),
    days: z.preprocess(emptyToUndefined, z.coerce.number().int("Whole days").positive("At least 1 day").optional()),
    revokePrevious: z.enum(["on", "true", "false"]).optional(),
  }),
  async ({ nodeId, csrPem, days, revokePrevious }, user) => {
    const { database, keyRing } = await getRuntime();
    const { node, certificate } = await reissueNodeCertificate(database.db, user, keyRing, nodeId, { csrPem, days, revokePrevious: revokePrevious === "on" || revokePrevious === "true" });
    revalidateCertificateViews();
    return { hostname: node.hostname, serial: certificate.serialHex };
  },
);

export const reissueAllNodesAction = userAction(z.object({ clusterId: z.string().uuid() }), async ({ clusterId }, user) => {
  const { database, keyRing } = await getRuntime();
  const result = await bulkReissueNodes(database.db, user, keyRing, clusterId);
  revalidateCertificateViews();
  return result;
});

export const removeNodeAction = userAction(z.object({ nodeId: z.string().uuid() }), async ({ nodeId }, user) => {
  const { database, keyRing } = await getRuntime();
  const { node, revokedSerials } = await removeNode(database.db, user, keyRing, nodeId);
  revalidateCertificateViews();
  return { hostname: node.hostname, revokedCount: revokedSerials.length };
});

export const checkVerifyFullAction = userAction(z.object({ nodeId: z.string().uuid(), host: z.string().trim().min(1, "Enter the name or address clients dial").max(253) }), async ({ nodeId, host }, user) => {
  const { database } = await getRuntime();
  return checkVerifyFull(database.db, user, nodeId, host);
});

export const probeNodeAction = userAction(z.object({ nodeId: z.string().uuid() }), async ({ nodeId }, user) => {
  const { database } = await getRuntime();
  return probeNode(database.db, user, nodeId);
});

/** "Connect agent": the one-time enrollment code, returned to the page once and never stored in clear. */
export const connectAgentAction = userAction(z.object({ nodeId: z.string().uuid() }), async ({ nodeId }, user) => {
  const { database } = await getRuntime();
  const { code, expiresAt, hostname } = await createEnrollmentCode(database.db, user, nodeId);
  return { code, hostname, expiresAt: expiresAt.toISOString() };
});

/** "Disconnect": the agent's credential stops working; the node page says whether a Re-issue is needed. */
export const disconnectAgentAction = userAction(z.object({ nodeId: z.string().uuid() }), async ({ nodeId }, user) => {
  const { database } = await getRuntime();
  const result = await disconnectAgent(database.db, user, nodeId);
  revalidateCertificateViews();
  return result;
});
