import "server-only";
import { sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { rowsOf, schema, type Executor } from "@/lib/db";

/** Every column that holds an envelope (lib/secrets/envelope), with its table's primary key. */
export const SECRET_COLUMNS: readonly { table: PgTable; id: AnyPgColumn; envelope: AnyPgColumn }[] = [
  {
    table: schema.certificateAuthorities,
    id: schema.certificateAuthorities.id,
    envelope: schema.certificateAuthorities.encryptedPrivateKey,
  },
  { table: schema.caRequests, id: schema.caRequests.id, envelope: schema.caRequests.encryptedPrivateKey },
  { table: schema.certificates, id: schema.certificates.id, envelope: schema.certificates.encryptedPrivateKey },
  { table: schema.webhooks, id: schema.webhooks.id, envelope: schema.webhooks.encryptedSecret },
];

/** The envelopes in `envelope` that another master key made. */
export function notUnder(envelope: AnyPgColumn, keyId: string) {
  return sql`${envelope} IS NOT NULL AND ${envelope} NOT LIKE ${`ctls1.${keyId}.%`}`;
}

/** Secrets stored under any master key but `keyId`, locked by a writer or not. */
export async function countSecretsNotUnder(db: Executor, keyId: string): Promise<number> {
  let left = 0;
  for (const { table, envelope } of SECRET_COLUMNS) {
    const result = await db.execute(sql`SELECT count(*)::int AS n FROM ${table} WHERE ${notUnder(envelope, keyId)}`);
    left += rowsOf<{ n: number }>(result)[0]!.n;
  }
  return left;
}
