import "server-only";
import type { Database } from "@/lib/db";
import { describeError } from "@/lib/errors/describe-error";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { continueRotation, rotationsReissuing } from "@/lib/services/rotation/continue-rotation";
import { runJob } from "./run-job";
import type { JobContext, JobDefinition } from "./types";

/**
 * Carries on step 3 of every CA rotation that has started re-issuing: the wizard starts it at
 * once, and this job finishes it after a crash or restart (or retries nodes that failed).
 */
async function continueCaRotations({ db, keyRing }: JobContext) {
  const rotations = await rotationsReissuing(db);
  let reissued = 0;
  const failed: string[] = [];
  for (const rotation of rotations) {
    const result = await continueRotation(db, keyRing, rotation.id);
    reissued += result.reissued;
    failed.push(...result.failed);
  }
  if (failed.length > 0 && reissued === 0) throw new Error(`CA rotation re-issue failed for ${failed.slice(0, 5).join("; ")}`);
  return { rotations: rotations.length, reissued, failed };
}

export const caRotationJob: JobDefinition = {
  name: "ca-rotation",
  title: "CA rotation re-issue",
  description: "Re-issues server certificates under a rotation's new CA (wizard step 3); resumes after a restart.",
  intervalMs: 60_000,
  hasWork: async ({ db }) => (await rotationsReissuing(db)).length > 0,
  run: continueCaRotations,
};

/**
 * Step 3 has just started: re-issue now, in the background of this process, rather than wait
 * for the next scheduler tick. runJob's claim keeps it to one runner across instances.
 */
export function kickCaRotationJob(db: Database, keyRing: KeyRing, trigger: string): void {
  void runJob(db, keyRing, caRotationJob, { force: true, trigger }).catch((error: unknown) =>
    console.error(`[cluster-tls] CA rotation re-issue: ${describeError(error)}`),
  );
}
