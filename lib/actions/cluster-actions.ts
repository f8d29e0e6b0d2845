"use server";

import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { archiveCluster, updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { ZClusterSettingsInput, ZCreateClusterInput } from "@/lib/validations/clusters";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const createClusterAction = userAction(ZCreateClusterInput, async (input, user) => {
  const { database, keyRing } = await getRuntime();
  const cluster = await createCluster(database.db, user, keyRing.current, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name };
});

export const updateClusterSettingsAction = userAction(ZClusterSettingsInput.extend({ clusterId: z.string().uuid() }), async ({ clusterId, ...input }, user) => {
  const { database } = await getRuntime();
  const cluster = await updateClusterSettings(database.db, user, clusterId, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name };
});

export const archiveClusterAction = userAction(z.object({ clusterId: z.string().uuid(), confirmName: z.string().default("") }), async ({ clusterId, confirmName }, user) => {
  const { database } = await getRuntime();
  const cluster = await archiveCluster(database.db, user, clusterId, confirmName);
  revalidateCertificateViews();
  return { name: cluster.name };
});
