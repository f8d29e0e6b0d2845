import "server-only";
import { BoundedCache } from "@/lib/cache/bounded-cache";
import { processSingleton } from "@/lib/cache/process-singleton";
import type { Actor } from "@/lib/access/actor";

/**
 * How long a verified token is believed without asking the database again. A token revoked on
 * another instance (or straight in SQL) keeps working here for at most this long; the instance
 * that revokes it forgets it at once. 5 s turns the two queries per API request into one per
 * token every 5 s while keeping revocation near-immediate (README "HTTP API" says so).
 */
export const API_TOKEN_CACHE_TTL_MS = 5_000;

/**
 * Only tokens the database vouched for are stored (an unknown or revoked one never is), so a
 * flood of made-up tokens cannot grow it; the bound covers a fleet with many real tokens.
 */
const API_TOKEN_CACHE_MAX_ENTRIES = 1_000;

export type TokenActor = Omit<Extract<Actor, { type: "token" }>, "ipAddress" | "userAgent">;

export type CachedApiToken = {
  /** SHA-256 (hex) of the token: what the database stores, never the token itself. */
  tokenHash: string;
  actor: TokenActor;
  prefix: string;
  expiresAt: Date | null;
  /** When last_used_at was last written (ms), so the write stays at most once a minute. */
  lastUsedAt: number | null;
};

export type ApiTokenCache = BoundedCache<string, CachedApiToken>;

export function createApiTokenCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): ApiTokenCache {
  return new BoundedCache<string, CachedApiToken>({
    ttlMs: options.ttlMs ?? API_TOKEN_CACHE_TTL_MS,
    maxEntries: options.maxEntries ?? API_TOKEN_CACHE_MAX_ENTRIES,
    now: options.now,
  });
}

/** The process's cache, shared by every bundle (API routes, server actions that revoke). */
export function apiTokenCache(): ApiTokenCache {
  return processSingleton("api-token-cache", () => createApiTokenCache());
}
