import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { connection } from "next/server";
import { CreateClusterForm } from "@/components/clusters/create-cluster-form";
import { AppHeader } from "@/components/shell/app-header";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "New cluster" };

export default async function NewClusterPage() {
  await connection();
  const user = await requireSessionUser();
  if (!isAllowed(user, "cluster:manage")) forbidden();
  return (
    <>
      <AppHeader
        title="New cluster"
        description="cluster-tls generates the cluster's root CA; its private key is encrypted at rest and never leaves this server."
      />
      <div className="px-4 sm:px-8 py-8">
        <section className="max-w-4xl rounded-xl border border-slate-200 bg-white p-6">
          <CreateClusterForm />
        </section>
      </div>
    </>
  );
}
