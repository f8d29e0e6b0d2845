import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSessionUser } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { database } = await getRuntime();
  if (await isSetupPending(database.db)) redirect("/setup");
  if (await getSessionUser()) redirect("/");
  const { next } = await searchParams;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-slate-900">Sign in</h1>
      <p className="mb-6 text-sm text-slate-500">Use the account an administrator created for you.</p>
      <SignInForm next={safeNextPath(next)} />
    </>
  );
}
