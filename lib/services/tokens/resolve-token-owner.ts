import "server-only";
import { eq, inArray, or, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

/**
 * The developer a new developer token acts for (by id or email), refused unless the token would
 * grant something: the developer must be active, and granted every cluster the token is scoped
 * to, or (scope "all clusters") at least one cluster. Grants added later reach the token too.
 */
export async function resolveTokenOwner(db: Executor, ref: string, clusterIds: string[]): Promise<{ id: string; email: string }> {
  const { users, clusterAccess, clusters } = schema;
  const [owner] = await db
    .select({ id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(or(eq(users.id, ref), eq(sql`lower(${users.email})`, ref.toLowerCase())));
  const refuse = (field: "user" | "clusters", message: string): never => {
    throw new AppError("VALIDATION_FAILED", `${field}: ${message}`, { [field]: [message] });
  };
  if (!owner) return refuse("user", `no user ${JSON.stringify(ref)}`);
  if (owner.disabledAt) return refuse("user", `${owner.email} is disabled`);
  if (owner.role !== "developer")
    return refuse("user", `${owner.email} is an ${owner.role}, not a developer: give the token that role instead`);

  const granted = await db.select({ clusterId: clusterAccess.clusterId }).from(clusterAccess).where(eq(clusterAccess.userId, owner.id));
  if (clusterIds.length === 0 && granted.length === 0) {
    return refuse(
      "user",
      `${owner.email} is granted no cluster, so the token would see nothing: grant clusters under Settings → Users first`,
    );
  }
  const missing = clusterIds.filter((id) => !granted.some((g) => g.clusterId === id));
  if (missing.length > 0) {
    const names = await db.select({ name: clusters.name }).from(clusters).where(inArray(clusters.id, missing));
    refuse(
      "clusters",
      `${owner.email} is not granted ${names.map((n) => n.name).join(", ")}: a developer token reaches only what its developer is granted`,
    );
  }
  return { id: owner.id, email: owner.email };
}
