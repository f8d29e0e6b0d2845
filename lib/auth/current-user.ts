import "server-only";
import { eq } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { schema } from "@/lib/db";
import { getRuntime } from "@/lib/runtime/bootstrap";
import type { Actor } from "@/lib/access/actor";
import { getAuth } from "./auth";
import { requestInfoFrom } from "./request-info";

export type SessionUser = Extract<Actor, { type: "user" }> & { email: string; name: string };

/**
 * The signed-in user for this request, or null. Role and disabled state come from our users table
 * on every request, so demoting or disabling someone takes effect at once.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // The cookies as they are now: a server action that just rotated the session (password
  // change) re-renders with the new cookie, which the original request headers do not carry.
  const requestHeaders = new Headers(await headers());
  requestHeaders.set("cookie", (await cookies()).toString());
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const { database } = await getRuntime();
  const [user] = await database.db.select().from(schema.users).where(eq(schema.users.id, session.user.id));
  if (!user || user.disabledAt) return null;
  return {
    type: "user",
    id: user.id,
    label: user.email,
    email: user.email,
    name: user.name,
    role: user.role,
    ...requestInfoFrom(requestHeaders),
  };
});

/** For pages and actions behind sign-in: anonymous visitors go to the sign-in page. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}
