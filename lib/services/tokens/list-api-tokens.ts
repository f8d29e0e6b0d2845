import "server-only";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  /** The developer a developer token acts for. */
  actsFor: string | null;
  clusterNames: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

export async function listApiTokens(db: Executor, actor: Actor): Promise<ApiTokenSummary[]> {
  assertAllowed(actor, "tokens:manage");
  const { apiTokens, apiTokenClusters, clusters, users } = schema;
  const [tokens, scopes] = await Promise.all([
    db
      .select({ token: apiTokens, actsFor: users.email })
      .from(apiTokens)
      .leftJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(desc(apiTokens.createdAt)),
    db
      .select({ tokenId: apiTokenClusters.tokenId, name: clusters.name })
      .from(apiTokenClusters)
      .innerJoin(clusters, eq(clusters.id, apiTokenClusters.clusterId)),
  ]);
  return tokens.map(({ token: t, actsFor }) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    actsFor,
    clusterNames: scopes.filter((s) => s.tokenId === t.id).map((s) => s.name),
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    lastUsedAt: t.lastUsedAt,
    createdAt: t.createdAt,
  }));
}
