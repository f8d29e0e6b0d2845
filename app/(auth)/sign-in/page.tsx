import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { visitorContext } from "@/lib/auth/session-context";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { db, actor } = await visitorContext();
  if (await isSetupPending(db)) redirect("/setup");
  if (actor.type === "user") redirect("/");
  const { next } = await searchParams;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-slate-900">Sign in</h1>
      <p className="mb-6 text-sm text-slate-500">Use the account an administrator created for you.</p>
      <SignInForm next={safeNextPath(next)} />
    </>
  );
}
