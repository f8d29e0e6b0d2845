import "server-only";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import { enqueueWebhookEvents } from "@/lib/services/webhooks/enqueue-webhook-event";
import { STALE_AFTER_INTERVALS } from "./agent-verdict";

const { nodeAgents: agents, nodes, clusters } = schema;
const lastSeen = sql`coalesce(${agents.lastStatusAt}, ${agents.enrolledAt})`;
/** Silent for STALE_AFTER_INTERVALS of its own polls, and not yet reported for this silence. */
const staleAndUnnotified = (now: Date) =>
  and(
    isNull(agents.staleNotifiedAt),
    lt(lastSeen, sql`${now.toISOString()}::timestamptz - make_interval(secs => ${agents.pollIntervalSeconds} * ${STALE_AFTER_INTERVALS})`),
  );

/** Cheap enough to ask every few seconds: is any agent newly stale? */
export async function hasNewlyStaleAgents(db: Executor, now = new Date()): Promise<boolean> {
  const [row] = await db.select({ id: agents.id }).from(agents).where(staleAndUnnotified(now)).limit(1);
  return row !== undefined;
}

/**
 * Queues `agent.stale` once per silence: the agents of live nodes that have not reported for
 * three of their poll intervals are marked notified (the agent's next report clears it, see
 * recordAgentStatus) and their events queued, in one transaction. SKIP LOCKED keeps a report
 * arriving meanwhile from waiting on this.
 */
export async function notifyStaleAgents(db: Database, now = new Date()) {
  return db.transaction(async (tx) => {
    const stale = await tx
      .select({
        id: agents.id,
        nodeId: agents.nodeId,
        prefix: agents.credentialPrefix,
        lastStatusAt: agents.lastStatusAt,
        enrolledAt: agents.enrolledAt,
        interval: agents.pollIntervalSeconds,
        hostname: nodes.hostname,
        clusterId: nodes.clusterId,
      })
      .from(agents)
      .innerJoin(nodes, eq(nodes.id, agents.nodeId))
      .innerJoin(clusters, eq(clusters.id, nodes.clusterId))
      .where(and(staleAndUnnotified(now), isNull(nodes.removedAt), isNull(clusters.archivedAt)))
      .for("update", { of: agents, skipLocked: true });
    if (stale.length === 0) return { stale: 0, queued: 0 };
    for (const agent of stale)
      await tx
        .update(agents)
        .set({ staleNotifiedAt: now })
        .where(and(eq(agents.id, agent.id), isNull(agents.staleNotifiedAt)));
    const queued = await enqueueWebhookEvents(
      tx,
      stale.map((agent) => {
        const lastSeenAt = agent.lastStatusAt ?? agent.enrolledAt;
        return {
          clusterId: agent.clusterId,
          event: "agent.stale" as const,
          occurredAt: now,
          // One event per silence, even if two instances raced past the row lock.
          dedupeKey: `agent.stale:${agent.id}:${lastSeenAt.toISOString()}`,
          data: {
            nodeId: agent.nodeId,
            hostname: agent.hostname,
            credentialPrefix: agent.prefix,
            lastSeenAt: lastSeenAt.toISOString(),
            pollIntervalSeconds: agent.interval,
            silentSeconds: Math.round((now.getTime() - lastSeenAt.getTime()) / 1000),
          },
        };
      }),
    );
    return { stale: stale.length, queued, nodes: stale.map((agent) => agent.hostname) };
  });
}
