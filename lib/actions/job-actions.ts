"use server";

import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { runJobNow } from "@/lib/jobs/job-status";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const runJobNowAction = userAction(
  "job.run_now",
  z.object({ job: z.string().min(1).max(100) }),
  async ({ job }, { db, actor, keyRing }) => {
    const result = await runJobNow(db, actor, keyRing, job);
    revalidateCertificateViews(); // a refresh or renewal changes CRLs and certificates
    if (result.outcome === "failed") throw new AppError("UNPROCESSABLE", `${result.title} failed: ${result.error}`);
    return { title: result.title };
  },
);
