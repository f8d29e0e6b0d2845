"use server";

import { revalidatePath } from "next/cache";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { ZCreateClusterInput } from "@/lib/validations/clusters";
import { userAction } from "./user-action";

export const createClusterAction = userAction(ZCreateClusterInput, async (input, user) => {
  const { database, keyRing } = await getRuntime();
  const cluster = await createCluster(database.db, user, keyRing.current, input);
  revalidatePath("/clusters");
  revalidatePath("/");
  return { id: cluster.id, name: cluster.name };
});
