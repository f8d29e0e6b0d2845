import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { nameConstraintsFor, namesOutside } from "@/lib/pki";

type NamePolicySettings = { allowWildcardNames: boolean; permittedNames: string[] };

/**
 * Refuses a name policy that a live node's names break: its renewals and the CA rotation would
 * then fail for that node until its certificate expired. Shared names are checked by the settings
 * schema; a node's own names only exist here.
 */
export async function assertNodesWithinPolicy(
  db: Executor,
  clusterId: string,
  { allowWildcardNames, permittedNames }: NamePolicySettings,
): Promise<void> {
  const constraints = nameConstraintsFor(permittedNames);
  if (allowWildcardNames && !constraints) return;
  const { nodes } = schema;
  const live = await db
    .select({ hostname: nodes.hostname, dnsNames: nodes.dnsNames, ipAddresses: nodes.ipAddresses })
    .from(nodes)
    .where(and(eq(nodes.clusterId, clusterId), isNull(nodes.removedAt)));
  const wildcards = allowWildcardNames ? [] : live.filter((n) => [n.hostname, ...n.dnsNames].some((name) => name.startsWith("*.")));
  if (wildcards.length > 0) {
    const message = `nodes ${listed(wildcards.map((n) => n.hostname))} have wildcard names: remove them from the nodes first`;
    throw new AppError("VALIDATION_FAILED", `allowWildcardNames: ${message}`, { allowWildcardNames: [message] });
  }
  if (!constraints) return;
  const outside = live.flatMap((n) =>
    namesOutside(constraints, { dnsNames: [n.hostname, ...n.dnsNames], ipAddresses: n.ipAddresses }).map(
      (name) => `${name} (node ${n.hostname})`,
    ),
  );
  if (outside.length > 0) {
    const message = `${listed(outside)} ${outside.length === 1 ? "is" : "are"} outside these names: widen the list or remove the nodes first`;
    throw new AppError("VALIDATION_FAILED", `permittedNames: ${message}`, { permittedNames: [message] });
  }
}

function listed(items: string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(", ")} and ${items.length - 5} more` : items.join(", ");
}
