import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { RotationWizard } from "@/components/rotation/rotation-wizard";
import { AppHeader } from "@/components/shell/app-header";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";

export const metadata: Metadata = { title: "CA rotation" };

export default async function RotationPage({ params }: { params: Promise<{ clusterId: string }> }) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const { clusterId } = await params;
  const status = await getRotationStatus(db, user, clusterId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const canManage = isAllowed(user, "cluster:manage", { clusterId: status.cluster.id });

  return (
    <>
      <AppHeader
        title={`Rotate the CA of ${status.cluster.name}`}
        description="Four steps, each safe to repeat; clients keep connecting throughout. Step 3 carries on by itself after a restart."
        back={{ href: `/clusters/${status.cluster.id}`, label: status.cluster.name }}
      />
      <div className="max-w-4xl px-4 sm:px-8 py-8">
        <RotationWizard initial={status} canManage={canManage} />
      </div>
    </>
  );
}
