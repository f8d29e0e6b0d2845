import "server-only";
import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { hashApiToken, isWellFormedApiToken } from "./token-format";

const LAST_USED_RESOLUTION_MS = 60_000; // write last_used_at at most once a minute per token

type RequestContext = { ipAddress: string | null; userAgent: string | null };

/**
 * `Authorization: Bearer ctls_…` → the token's Actor. Every refusal is UNAUTHENTICATED with a
 * message that says which problem it was (missing, malformed, unknown, revoked, expired).
 */
export async function authenticateApiToken(db: Database, authorization: string | null, context: RequestContext): Promise<Actor> {
  if (!authorization) throw new AppError("UNAUTHENTICATED", "missing Authorization: Bearer <token> header");
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new AppError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'");
  const token = match[1]!;
  if (!isWellFormedApiToken(token)) throw new AppError("UNAUTHENTICATED", "malformed API token (expected ctls_<prefix>_<secret>)");

  const hash = hashApiToken(token);
  const [row] = await db.select().from(schema.apiTokens).where(eq(schema.apiTokens.tokenHash, hash));
  // The lookup is by hash already; compare again in constant time so no code path depends on
  // how much of a guessed token matched.
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash, "hex"), Buffer.from(hash, "hex"))) {
    throw new AppError("UNAUTHENTICATED", "unknown API token");
  }
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", `API token ${row.prefix} was revoked`);
  const now = new Date();
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("UNAUTHENTICATED", `API token ${row.prefix} expired on ${row.expiresAt.toISOString()}`);

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(schema.apiTokens).set({ lastUsedAt: now }).where(eq(schema.apiTokens.id, row.id));
  }
  const scopes = await db
    .select({ clusterId: schema.apiTokenClusters.clusterId })
    .from(schema.apiTokenClusters)
    .where(eq(schema.apiTokenClusters.tokenId, row.id));
  return {
    type: "token",
    id: row.id,
    label: `token ${row.name} (${row.prefix})`,
    role: row.role,
    clusterIds: scopes.map((s) => s.clusterId),
    ...context,
  };
}
