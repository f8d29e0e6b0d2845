import type { Metadata } from "next";
import { connection } from "next/server";
import { CreateClusterForm } from "@/components/clusters/create-cluster-form";
import { AppHeader } from "@/components/shell/app-header";
import { Forbidden } from "@/components/ui/forbidden";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "New cluster" };

export default async function NewClusterPage() {
  await connection();
  const user = await requireSessionUser();
  return (
    <>
      <AppHeader title="New cluster" description="cluster-tls generates the cluster's root CA; its private key is encrypted at rest and never leaves this server." />
      <div className="px-8 py-8">
        {isAllowed(user, "cluster:manage") ? (
          <section className="max-w-4xl rounded-xl border border-slate-200 bg-white p-6">
            <CreateClusterForm />
          </section>
        ) : (
          <Forbidden what="creating clusters" />
        )}
      </div>
    </>
  );
}
