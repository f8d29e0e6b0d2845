"use server";

import { z } from "zod";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const revokeCertificateAction = userAction(
  "certificate.revoke",
  z.object({ serial: z.string().min(1), reason: z.string().min(1) }),
  async ({ serial, reason }, { db, actor, keyRing }) => {
    const result = await revokeCertificate(db, actor, keyRing, serial, reason);
    revalidateCertificateViews();
    return result;
  },
);
