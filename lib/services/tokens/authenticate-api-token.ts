import "server-only";
import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { apiTokenCache, type ApiTokenCache, type CachedApiToken } from "./api-token-cache";
import { hashApiToken, isWellFormedApiToken } from "./token-format";

const LAST_USED_RESOLUTION_MS = 60_000; // write last_used_at at most once a minute per token

type RequestContext = { ipAddress: string | null; userAgent: string | null };

/** Both are SHA-256 hex digests; compared in constant time so no path depends on how much matched. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `Authorization: Bearer ctls_…` → the token's Actor. Every refusal is UNAUTHENTICATED with a
 * message that says which problem it was (missing, malformed, unknown, revoked, expired).
 * A token the database vouched for is believed for API_TOKEN_CACHE_TTL_MS (see api-token-cache.ts);
 * its expiry is still checked on every request.
 */
export async function authenticateApiToken(db: Database, authorization: string | null, context: RequestContext, cache: ApiTokenCache = apiTokenCache()): Promise<Actor> {
  if (!authorization) throw new AppError("UNAUTHENTICATED", "missing Authorization: Bearer <token> header");
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new AppError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'");
  const token = match[1]!;
  if (!isWellFormedApiToken(token)) throw new AppError("UNAUTHENTICATED", "malformed API token (expected ctls_<prefix>_<secret>)");

  const hash = hashApiToken(token);
  const cached = cache.get(hash);
  const entry = cached && sameHash(cached.tokenHash, hash) ? cached : await verifyInDatabase(db, hash, cache);
  const now = new Date();
  if (entry.expiresAt && entry.expiresAt <= now) {
    cache.delete(hash);
    throw new AppError("UNAUTHENTICATED", `API token ${entry.prefix} expired on ${entry.expiresAt.toISOString()}`);
  }
  if (entry.lastUsedAt === null || now.getTime() - entry.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    entry.lastUsedAt = now.getTime();
    await db.update(schema.apiTokens).set({ lastUsedAt: now }).where(eq(schema.apiTokens.id, entry.actor.id));
  }
  return { ...entry.actor, clusterIds: [...entry.actor.clusterIds], ...context };
}

/** The database's word on a token (hash lookup + its cluster scope); only a valid one is cached. */
async function verifyInDatabase(db: Database, hash: string, cache: ApiTokenCache): Promise<CachedApiToken> {
  cache.delete(hash);
  const [row] = await db.select().from(schema.apiTokens).where(eq(schema.apiTokens.tokenHash, hash));
  // The lookup is by hash already; compare again in constant time so no code path depends on
  // how much of a guessed token matched.
  if (!row || !sameHash(row.tokenHash, hash)) throw new AppError("UNAUTHENTICATED", "unknown API token");
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", `API token ${row.prefix} was revoked`);
  const scopes = await db
    .select({ clusterId: schema.apiTokenClusters.clusterId })
    .from(schema.apiTokenClusters)
    .where(eq(schema.apiTokenClusters.tokenId, row.id));
  const entry: CachedApiToken = {
    tokenHash: row.tokenHash,
    actor: { type: "token", id: row.id, label: `token ${row.name} (${row.prefix})`, role: row.role, clusterIds: scopes.map((s) => s.clusterId) },
    prefix: row.prefix,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
  if (!row.expiresAt || row.expiresAt > new Date()) cache.set(hash, entry);
  return entry;
}
