"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { removeNode } from "@/lib/services/nodes/remove-node";
import { ZAddNodeInput } from "@/lib/validations/nodes";
import { userAction } from "./user-action";

export const addNodeAction = userAction(ZAddNodeInput.extend({ clusterId: z.string().uuid() }), async ({ clusterId, ...input }, user) => {
  const { database, keyRing } = await getRuntime();
  const { node, certificate } = await addNode(database.db, user, keyRing, clusterId, input);
  revalidatePath(`/clusters/${clusterId}`);
  return { hostname: node.hostname, serial: certificate.serialHex };
});

export const reissueNodeAction = userAction(
  z.object({ nodeId: z.string().uuid(), clusterId: z.string().uuid(), revokePrevious: z.enum(["on", "true", "false"]).optional() }),
  async ({ nodeId, clusterId, revokePrevious }, user) => {
    const { database, keyRing } = await getRuntime();
    const { node, certificate } = await reissueNodeCertificate(database.db, user, keyRing, nodeId, { revokePrevious: revokePrevious === "on" || revokePrevious === "true" });
    revalidatePath(`/clusters/${clusterId}`);
    revalidatePath(`/clusters/${clusterId}/nodes/${nodeId}`);
    return { hostname: node.hostname, serial: certificate.serialHex };
  },
);

export const removeNodeAction = userAction(z.object({ nodeId: z.string().uuid(), clusterId: z.string().uuid() }), async ({ nodeId, clusterId }, user) => {
  const { database, keyRing } = await getRuntime();
  const { node, revokedSerials } = await removeNode(database.db, user, keyRing, nodeId);
  revalidatePath(`/clusters/${clusterId}`);
  revalidatePath("/certificates");
  return { hostname: node.hostname, revokedCount: revokedSerials.length };
});
