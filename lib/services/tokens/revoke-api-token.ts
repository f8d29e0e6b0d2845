import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { apiTokenCache } from "./api-token-cache";

/**
 * Revokes a token. This instance forgets it at once; other instances sharing the database stop
 * accepting it within API_TOKEN_CACHE_TTL_MS (their cached verification expires).
 */
export async function revokeApiToken(db: Database, actor: Actor, tokenId: string): Promise<void> {
  assertAllowed(actor, "tokens:manage");
  const tokenHash = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(schema.apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(schema.apiTokens.id, tokenId), isNull(schema.apiTokens.revokedAt)))
      .returning({ id: schema.apiTokens.id, name: schema.apiTokens.name, tokenHash: schema.apiTokens.tokenHash });
    if (!row) throw new AppError("NOT_FOUND", `no active API token with id ${tokenId}`);
    await recordAuditEvent(tx, actor, {
      action: "api_token.revoke",
      objectType: "api_token",
      objectId: row.id,
      details: { name: row.name },
    });
    return row.tokenHash;
  });
  apiTokenCache().delete(tokenHash);
}
