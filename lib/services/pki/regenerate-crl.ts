import "server-only";
import { eq, sql } from "drizzle-orm";
import { rowsOf, schema, type Transaction } from "@/lib/db";
import { REVOCATION_REASONS } from "@/lib/db/schema/enums";
import { AppError } from "@/lib/errors/app-error";
import { buildCrl, type CrlEntry, type RevocationReasonName } from "@/lib/pki";
import type { MasterKey } from "@/lib/secrets/master-key";
import { DAY_MS } from "@/lib/format/days";
import { openCaIssuer } from "./ca-signer";

/**
 * Re-signs a CA's CRL inside the caller's transaction. The CA row is locked so concurrent
 * revocations take CRL numbers one after another (RFC 5280 §5.2.3: strictly increasing).
 * FOR NO KEY UPDATE, not FOR UPDATE: a transaction that inserted a certificate under this CA
 * already holds KEY SHARE on the row (the foreign-key check), which FOR UPDATE conflicts with, so
 * two re-issues that revoke their previous certificate deadlocked on PostgreSQL. NO KEY UPDATE
 * still excludes itself, and only next_crl_number (no key column) changes.
 * An expired certificate's entry stays until it has appeared on one CRL issued after the
 * certificate's notAfter, then leaves (RFC 5280 §3.3, §5.1.2.6: it MAY be removed after
 * appearing on one CRL issued beyond its validity period), so short-lived login certificates do
 * not pile up on the list while a relying party that fetches CRLs still sees each revocation.
 */
export async function regenerateCrl(tx: Transaction, caId: string, keys: readonly MasterKey[], now = new Date()) {
  const { certificateAuthorities: cas, certificates, clusters, crls } = schema;
  const [ca] = await tx
    .select({
      envelope: cas.encryptedPrivateKey,
      nextCrlNumber: cas.nextCrlNumber,
      certificatePem: certificates.certificatePem,
      crlDays: clusters.crlDays,
    })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .innerJoin(clusters, eq(clusters.id, cas.clusterId))
    .where(eq(cas.id, caId))
    .for("no key update", { of: cas });
  if (!ca) throw new AppError("NOT_FOUND", `certificate authority ${caId} not found`);
  const [latest] = await tx
    .select({ thisUpdate: sql<Date | string | null>`max(${crls.thisUpdate})` })
    .from(crls)
    .where(eq(crls.caId, caId));
  const previousThisUpdate = latest?.thisUpdate ? new Date(latest.thisUpdate) : null;
  const revoked = await revokedEntries(tx, caId, now, previousThisUpdate);
  const issuer = await openCaIssuer(ca, keys);
  const nextUpdate = new Date(now.getTime() + ca.crlDays * DAY_MS);
  const crl = await buildCrl({
    issuer,
    entries: revoked,
    crlNumber: ca.nextCrlNumber,
    thisUpdate: now,
    nextUpdate,
  });
  await tx
    .insert(crls)
    .values({ caId, crlNumber: ca.nextCrlNumber, thisUpdate: now, nextUpdate, entryCount: revoked.length, der: crl.der });
  await tx
    .update(cas)
    .set({ nextCrlNumber: ca.nextCrlNumber + 1n })
    .where(eq(cas.id, caId));
  return { crlNumber: ca.nextCrlNumber, entryCount: revoked.length };
}

/** Entries per query: small enough that PGlite (which runs queries on this thread) never stalls long. */
const PAGE = 20_000;
const REASON_NAMES = new Set<string>(REVOCATION_REASONS);

/**
 * The CA's revoked certificates as CRL entries — unexpired ones, and expired ones that no CRL
 * issued after both their notAfter and their revocation has carried yet (the latest CRL is
 * enough: each CRL keeps such an entry until one such CRL exists, so that one carried it) — read in pages by serial (keyset on
 * the (issuer, serial) unique index), each page as ONE text value "serial,epoch,reason;…": a
 * row per entry cost PGlite's wire parser a buffer copy per field (100,000 entries: ~800 ms on
 * the event loop and twice the memory, measured), one string per page costs a split.
 */
async function revokedEntries(tx: Transaction, caId: string, now: Date, previousThisUpdate: Date | null): Promise<CrlEntry[]> {
  const entries: CrlEntry[] = [];
  const previous = previousThisUpdate?.toISOString() ?? "-infinity";
  let after = "";
  for (;;) {
    const result = await tx.execute(sql`
      SELECT string_agg(serial_hex || ',' || floor(extract(epoch FROM revoked_at))::bigint || ',' || coalesce(revocation_reason, ''), ';' ORDER BY serial_hex) AS entries,
             max(serial_hex) AS last, count(*)::int AS n
        FROM (SELECT serial_hex, revoked_at, revocation_reason FROM certificates
               WHERE issuer_ca_id = ${caId} AND status = 'revoked' AND serial_hex > ${after}
                 AND (not_after > ${now.toISOString()}::timestamptz OR ${previous}::timestamptz <= not_after OR ${previous}::timestamptz < revoked_at)
               ORDER BY serial_hex LIMIT ${PAGE}) page`);
    const [page] = rowsOf<{ entries: string | null; last: string | null; n: number }>(result);
    for (const item of page?.entries?.split(";") ?? []) {
      const [serialHex, epoch, reason] = item.split(",") as [string, string, string];
      entries.push({
        serialHex,
        revokedAt: new Date(Number(epoch) * 1000),
        reason: REASON_NAMES.has(reason) ? (reason as RevocationReasonName) : undefined,
      });
    }
    if (!page || page.n < PAGE) return entries;
    after = page.last!;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
