import "server-only";
import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { createFailureWindow } from "@/lib/cache/failure-window";
import { apiTokenCache, type ApiTokenCache, type CachedApiToken } from "./api-token-cache";
import { hashApiToken, isWellFormedApiToken } from "./token-format";

const LAST_USED_RESOLUTION_MS = 60_000; // write last_used_at at most once a minute per token

/**
 * Refused tokens per client address and per token prefix: 20 a minute, then 429 until the
 * window frees up. A secret of 256 bits is not guessable anyway; this keeps a scanner from
 * turning every guess into a database query, and names the problem to a misconfigured client.
 */
export const TOKEN_FAILURE_LIMIT = { attempts: 20, windowMs: 60_000 };
const UNKNOWN_TOKEN = "unknown API token";
const tokenFailures = createFailureWindow({ limit: TOKEN_FAILURE_LIMIT.attempts, windowMs: TOKEN_FAILURE_LIMIT.windowMs });

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
export async function authenticateApiToken(
  db: Database,
  authorization: string | null,
  context: RequestContext,
  cache: ApiTokenCache = apiTokenCache(),
): Promise<Actor> {
  if (!authorization) throw new AppError("UNAUTHENTICATED", "missing Authorization: Bearer <token> header");
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new AppError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'");
  const token = match[1]!;
  const keys = [
    ...(context.ipAddress ? [`ip:${context.ipAddress}`] : []),
    ...(isWellFormedApiToken(token) ? [`prefix:${token.split("_")[1]}`] : []),
  ];
  const refuse = (error: AppError): never => {
    for (const key of keys) tokenFailures.record(key);
    throw error;
  };
  if (!isWellFormedApiToken(token)) refuse(new AppError("UNAUTHENTICATED", "malformed API token (expected ctls_<prefix>_<secret>)"));

  const hash = hashApiToken(token);
  const cached = cache.get(hash);
  let entry: CachedApiToken;
  if (cached && sameHash(cached.tokenHash, hash)) entry = cached;
  else {
    const wait = Math.max(...keys.map((key) => tokenFailures.retryAfterSeconds(key)));
    if (wait > 0) throw new AppError("RATE_LIMITED", `too many refused API tokens from this client; retry in ${wait} s`);
    // Guesses count (unknown, malformed); a revoked or expired token is a stale client, not a guess.
    entry = await verifyInDatabase(db, hash, cache).catch((error: unknown) =>
      error instanceof AppError && error.message === UNKNOWN_TOKEN ? refuse(error) : Promise.reject(error),
    );
  }
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
  if (!row || !sameHash(row.tokenHash, hash)) throw new AppError("UNAUTHENTICATED", UNKNOWN_TOKEN);
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", `API token ${row.prefix} was revoked`);
  const owner = row.userId ? await activeOwner(db, row.prefix, row.userId) : null;
  const scopes = await db
    .select({ clusterId: schema.apiTokenClusters.clusterId })
    .from(schema.apiTokenClusters)
    .where(eq(schema.apiTokenClusters.tokenId, row.id));
  const entry: CachedApiToken = {
    tokenHash: row.tokenHash,
    actor: {
      type: "token",
      id: row.id,
      label: `token ${row.name} (${row.prefix})${owner ? ` for ${owner.email}` : ""}`,
      role: row.role,
      clusterIds: scopes.map((s) => s.clusterId),
      userId: row.userId,
    },
    prefix: row.prefix,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
  if (!row.expiresAt || row.expiresAt > new Date()) cache.set(hash, entry);
  return entry;
}

/** A developer token stops working when its developer is disabled or no longer a developer. */
async function activeOwner(db: Database, prefix: string, userId: string): Promise<{ email: string }> {
  const [owner] = await db
    .select({ email: schema.users.email, role: schema.users.role, disabledAt: schema.users.disabledAt })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  if (!owner || owner.disabledAt)
    throw new AppError("UNAUTHENTICATED", `API token ${prefix} acts for ${owner?.email ?? "a removed user"}, who is disabled`);
  if (owner.role !== "developer")
    throw new AppError("UNAUTHENTICATED", `API token ${prefix} acts for ${owner.email}, who is no longer a developer`);
  return owner;
}
