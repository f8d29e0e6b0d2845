"use server";

import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const revokeCertificateAction = userAction(
  z.object({ serial: z.string().min(1), reason: z.string().min(1) }),
  async ({ serial, reason }, user) => {
    const { database, keyRing } = await getRuntime();
    const result = await revokeCertificate(database.db, user, keyRing, serial, reason);
    revalidateCertificateViews();
    return result;
  },
);
