import "server-only";
import { hasNewlyStaleAgents, notifyStaleAgents } from "@/lib/services/agents/notify-stale-agents";
import type { JobDefinition } from "./types";

/**
 * Agents poll every minute by default (seconds in tests): a stale one should be reported within
 * seconds of its third missed poll, not at the next minute's tick, so this job is offered every
 * few seconds and records a run only when an agent has newly gone quiet.
 */
export const agentStaleJob: JobDefinition = {
  name: "agent-stale",
  title: "Stale agents",
  description: "Sends agent.stale once when a node's agent has not reported for three of its poll intervals.",
  intervalMs: 5_000,
  hasWork: ({ db }) => hasNewlyStaleAgents(db),
  run: ({ db, now }) => notifyStaleAgents(db, now),
};
