import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { createFailureWindow } from "@/lib/cache/failure-window";
import { processSingleton } from "@/lib/cache/process-singleton";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { formatUserCode, normalizeUserCode } from "./device-secrets";

/**
 * Wrong user codes per signed-in user: 10 in 10 minutes, then 429. A user code has ~34 bits and
 * lives 10 minutes (RFC 8628 §5.1 asks for such a limit so it cannot be brute-forced).
 */
const wrongCodes = () => processSingleton("device-user-code-failures", () => createFailureWindow({ limit: 10, windowMs: 600_000 }));

export type DeviceAuthorizationView = {
  id: string;
  userCode: string;
  deviceName: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** Asked for by name; `available` = the approving user may see it (only those are granted). */
  requestedClusters: { name: string; id: string | null; available: boolean }[];
};

/**
 * The pending login a user code names, as the /device page shows it before Approve / Deny: which
 * host asks, from where, for which clusters, until when. A wrong, expired or already decided code
 * is a "not found" that says so, and counts against the user's throttle.
 */
export async function findDeviceAuthorization(db: Executor, actor: Actor, userCodeInput: string): Promise<DeviceAuthorizationView> {
  if (actor.type === "anonymous") throw new AppError("UNAUTHENTICATED", "sign in first");
  if (actor.type !== "user") throw new AppError("FORBIDDEN", `${actor.label}: only a signed-in user may approve a device login`);
  const key = `user:${actor.id}`;
  const wait = wrongCodes().retryAfterSeconds(key);
  if (wait > 0) throw new AppError("RATE_LIMITED", `too many wrong codes; try again in ${wait} s`);
  const code = normalizeUserCode(userCodeInput);
  const wrong = (message: string): never => {
    wrongCodes().record(key);
    throw new AppError("NOT_FOUND", message, { userCode: [message] });
  };
  if (!code) return wrong(`"${userCodeInput.slice(0, 20)}" is not a code from cluster-tls login (8 letters, like BCDF-GHJK)`);
  const { deviceAuthorizations: table } = schema;
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.userCode, code), eq(table.state, "pending")));
  if (!row) return wrong(`no login is waiting for code ${formatUserCode(code)}: it is wrong, or was already approved or denied`);
  if (row.expiresAt <= new Date())
    return wrong(`code ${formatUserCode(code)} expired at ${row.expiresAt.toISOString()}; run cluster-tls login again for a new one`);
  return {
    id: row.id,
    userCode: formatUserCode(code),
    deviceName: row.deviceName,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    requestedClusters: await resolveRequested(db, actor, row.requestedClusters),
  };
}

async function resolveRequested(db: Executor, actor: Actor, names: string[]) {
  if (names.length === 0) return [];
  const { clusters } = schema;
  const found = await db.select({ id: clusters.id, name: clusters.name }).from(clusters).where(inArray(clusters.name, names));
  const visible = await visibleClusterIds(db, actor);
  return names.map((name) => {
    const cluster = found.find((c) => c.name === name);
    const available = !!cluster && (visible === "all" || visible.includes(cluster.id));
    // A cluster the user may not see is named as asked, nothing more (no existence leak).
    return { name, id: available ? cluster!.id : null, available };
  });
}
