import "server-only";
import { schema, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { resolveClusterIds } from "@/lib/services/clusters/resolve-cluster-ids";
import { validationError } from "@/lib/validations/field-errors";
import { ZCreateApiTokenInput, type TCreateApiTokenInput } from "@/lib/validations/tokens";
import { generateApiToken } from "./token-format";
import { resolveTokenOwner } from "./resolve-token-owner";
import { DAY_MS } from "@/lib/format/days";

/**
 * Creates a scoped bearer token. The plaintext is returned once and never stored. A developer
 * token acts for a named developer and carries that person's grants, narrowed by its scope.
 */
export async function createApiToken(db: Database, actor: Actor, input: TCreateApiTokenInput) {
  assertAllowed(actor, "tokens:manage");
  const parsed = ZCreateApiTokenInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid token");
  const { name, role, clusters, days, user } = parsed.data;
  const { token, prefix, hash } = generateApiToken();

  const { record, owner } = await db.transaction(async (tx) => {
    const clusterIds = await resolveClusterIds(tx, clusters);
    const owner = user === undefined ? null : await resolveTokenOwner(tx, user, clusterIds);
    const [row] = await tx
      .insert(schema.apiTokens)
      .values({
        name,
        prefix,
        tokenHash: hash,
        role,
        userId: owner?.id ?? null,
        createdByUserId: actor.type === "user" ? actor.id : null,
        expiresAt: days === null ? null : new Date(Date.now() + days * DAY_MS),
      })
      .returning();
    if (clusterIds.length > 0) {
      await tx.insert(schema.apiTokenClusters).values(clusterIds.map((clusterId) => ({ tokenId: row!.id, clusterId })));
    }
    await recordAuditEvent(tx, actor, {
      action: "api_token.create",
      objectType: "api_token",
      objectId: row!.id,
      details: { name, role, prefix, clusterIds, actsFor: owner?.email ?? null, expiresAt: row!.expiresAt?.toISOString() ?? null },
    });
    return { record: row!, owner };
  });
  return {
    token,
    record: { id: record.id, name: record.name, prefix, role: record.role, actsFor: owner?.email ?? null, expiresAt: record.expiresAt },
  };
}
