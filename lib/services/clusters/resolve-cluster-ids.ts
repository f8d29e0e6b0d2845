import "server-only";
import { inArray, or } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { isUuid } from "@/lib/validations/uuid";

/** Cluster references (id or name, as the API and CLI accept them) to ids; unknown ones are named. */
export async function resolveClusterIds(db: Executor, refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const ids = refs.filter(isUuid);
  const rows = await db
    .select({ id: schema.clusters.id, name: schema.clusters.name })
    .from(schema.clusters)
    .where(or(inArray(schema.clusters.name, refs), ids.length ? inArray(schema.clusters.id, ids) : undefined));
  const unknown = refs.filter((r) => !rows.some((row) => row.id === r || row.name === r));
  if (unknown.length > 0)
    throw new AppError("NOT_FOUND", `unknown cluster: ${unknown.join(", ")}`, { clusters: [`Unknown: ${unknown.join(", ")}`] });
  return [...new Set(refs.map((r) => rows.find((row) => row.id === r || row.name === r)!.id))];
}
