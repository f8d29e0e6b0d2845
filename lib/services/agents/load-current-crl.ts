import "server-only";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { decodeCertificate } from "@/lib/pki";
import { toHex } from "@/lib/pki/bytes";
import type { CurrentCrl } from "./agent-verdict";
import { activeCaOf } from "@/lib/services/queries/cluster-cas";

/**
 * The signing CA's newest CRL of a cluster, with the CA's subject as the Name DER in hex: what an
 * agent reports as a CRL's issuer (RFC 5280 §5.1.2.3: a CRL's issuer is its CA's subject), so
 * the installed number can be matched to it. Null when the cluster has no active CA yet.
 */
export async function loadCurrentCrl(db: Executor, clusterId: string): Promise<(CurrentCrl & { nextUpdate: Date }) | null> {
  const { certificateAuthorities: cas, certificates, crls } = schema;
  const [row] = await db
    .select({ caPem: certificates.certificatePem, number: crls.crlNumber, nextUpdate: crls.nextUpdate })
    .from(crls)
    .innerJoin(cas, eq(cas.id, crls.caId))
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(activeCaOf(clusterId))
    .orderBy(desc(crls.crlNumber))
    .limit(1);
  if (!row) return null;
  const issuerHex = toHex(decodeCertificate(row.caPem).subject.toSchema().toBER());
  return { issuerHex, number: BigInt(row.number), nextUpdate: row.nextUpdate };
}
