"use server";

import { getRuntime } from "@/lib/runtime/bootstrap";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { ZCreateClusterInput } from "@/lib/validations/clusters";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const createClusterAction = userAction(ZCreateClusterInput, async (input, user) => {
  const { database, keyRing } = await getRuntime();
  const cluster = await createCluster(database.db, user, keyRing.current, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name };
});
