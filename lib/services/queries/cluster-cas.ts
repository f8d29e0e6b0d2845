import "server-only";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import { schema } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";

/** Where-clause on certificate_authorities: the cluster's active CA, the one that signs. */
export function activeCaOf(clusterId: string): SQL {
  const { certificateAuthorities: cas } = schema;
  return and(eq(cas.clusterId, clusterId), eq(cas.state, "active"))!;
}

/** Where-clause on certificate_authorities: the cluster's CAs in root.crt (published, active, retiring). */
export function trustedCasOf(clusterId: string): SQL {
  const { certificateAuthorities: cas } = schema;
  return and(eq(cas.clusterId, clusterId), inArray(cas.state, TRUSTED_CA_STATES))!;
}
