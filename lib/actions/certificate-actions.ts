"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { userAction } from "./user-action";

export const revokeCertificateAction = userAction(
  z.object({ serial: z.string().min(1), reason: z.string().min(1), clusterId: z.string().uuid() }),
  async ({ serial, reason, clusterId }, user) => {
    const { database, keyRing } = await getRuntime();
    const result = await revokeCertificate(database.db, user, keyRing, serial, reason);
    revalidatePath(`/clusters/${clusterId}`);
    revalidatePath("/certificates");
    return result;
  },
);
