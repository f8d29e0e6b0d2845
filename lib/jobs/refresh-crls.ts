import "server-only";
import { desc, eq, inArray } from "drizzle-orm";
import { schema } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";
import { SYSTEM_ACTOR } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import type { JobContext, JobDefinition } from "./types";

/**
 * Every CA in root.crt (published, active or retiring) whose current CRL has used half its lifetime is
 * re-signed, so nodes always have days to fetch a fresh one: PostgreSQL refuses every client
 * certificate once its ssl_crl_file is past nextUpdate.
 */
export async function refreshCrls({ db, keyRing, now }: JobContext) {
  const { certificateAuthorities: cas, crls } = schema;
  const latest = await db
    .selectDistinctOn([crls.caId], {
      caId: crls.caId,
      clusterId: cas.clusterId,
      crlNumber: crls.crlNumber,
      thisUpdate: crls.thisUpdate,
      nextUpdate: crls.nextUpdate,
    })
    .from(crls)
    .innerJoin(cas, eq(cas.id, crls.caId))
    .where(inArray(cas.state, TRUSTED_CA_STATES))
    .orderBy(crls.caId, desc(crls.crlNumber));
  const due = latest.filter((crl) => now.getTime() >= crl.thisUpdate.getTime() + (crl.nextUpdate.getTime() - crl.thisUpdate.getTime()) / 2);
  const signed: string[] = [];
  for (const crl of due) {
    await db.transaction(async (tx) => {
      const fresh = await regenerateCrl(tx, crl.caId, keyRing.all, now);
      await recordAuditEvent(tx, SYSTEM_ACTOR, {
        action: "crl.refresh",
        objectType: "certificate_authority",
        objectId: crl.caId,
        clusterId: crl.clusterId,
        details: {
          previousNumber: crl.crlNumber.toString(),
          crlNumber: fresh.crlNumber.toString(),
          previousNextUpdate: crl.nextUpdate.toISOString(),
        },
      });
    });
    signed.push(crl.caId);
  }
  return { checked: latest.length, refreshed: signed.length };
}

export const refreshCrlsJob: JobDefinition = {
  name: "crl-refresh",
  title: "CRL refresh",
  description: "Re-signs each CA's CRL once half its lifetime has passed, long before nextUpdate.",
  intervalMs: 15 * 60_000,
  run: refreshCrls,
};
