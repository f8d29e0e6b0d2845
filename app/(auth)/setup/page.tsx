import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/auth/setup-form";
import { anonymousContext } from "@/lib/auth/session-context";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";

export const metadata: Metadata = { title: "Set up" };

/** Exists only while no user exists: the first visitor creates the first admin. */
export default async function SetupPage() {
  await connection();
  const { db } = await anonymousContext("visitor");
  // Someone who kept the first-run link (a bookmark, a README) is sent where accounts sign in.
  if (!(await isSetupPending(db))) redirect("/sign-in");
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-slate-900">Welcome to cluster-tls</h1>
      <p className="mb-6 text-sm text-slate-500">Create the first administrator. Once an account exists, this address leads to sign-in.</p>
      <SetupForm />
    </>
  );
}
