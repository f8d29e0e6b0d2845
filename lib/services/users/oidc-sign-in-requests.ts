import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";

/** An unfinished single sign-on: what the redirect back must match. Lives 10 minutes, used once. */
export type OidcSignInRequest = { state: string; nonce: string; codeVerifier: string; next: string };

const LIFETIME_MS = 10 * 60_000;
const identifierOf = (state: string) => `oidc-sign-in:${state}`;

export async function saveOidcSignInRequest(db: Database, request: OidcSignInRequest, now = new Date()): Promise<void> {
  // Abandoned attempts are swept as new ones start, so the table does not grow with them.
  await db.delete(schema.verifications).where(lt(schema.verifications.expiresAt, now));
  await db.insert(schema.verifications).values({
    id: randomUUID(),
    identifier: identifierOf(request.state),
    value: JSON.stringify({ nonce: request.nonce, codeVerifier: request.codeVerifier, next: request.next }),
    expiresAt: new Date(now.getTime() + LIFETIME_MS),
  });
}

/** Takes the request out (DELETE … RETURNING): a replayed `state` finds nothing the second time. */
export async function consumeOidcSignInRequest(db: Database, state: string, now = new Date()): Promise<OidcSignInRequest | null> {
  const [row] = await db
    .delete(schema.verifications)
    .where(and(eq(schema.verifications.identifier, identifierOf(state)), gt(schema.verifications.expiresAt, now)))
    .returning({ value: schema.verifications.value });
  if (!row) return null;
  const { nonce, codeVerifier, next } = JSON.parse(row.value) as Omit<OidcSignInRequest, "state">;
  return { state, nonce, codeVerifier, next };
}
