import "server-only";
import { agentStaleJob } from "./agent-stale";
import { caRotationJob } from "./ca-rotation";
import { probeNodesJob } from "./probe-nodes";
import { pruneHistoryJob } from "./prune-history";
import { refreshCrlsJob } from "./refresh-crls";
import { renewServerCertificatesJob } from "./renew-server-certificates";
import { expiryNoticesJob, webhookDeliveryJob } from "./webhooks";
import type { JobDefinition } from "./types";

/** Every scheduled job, in the order the Jobs page lists them. */
export const JOBS: readonly JobDefinition[] = [
  refreshCrlsJob,
  renewServerCertificatesJob,
  caRotationJob,
  probeNodesJob,
  agentStaleJob,
  expiryNoticesJob,
  webhookDeliveryJob,
  pruneHistoryJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}
