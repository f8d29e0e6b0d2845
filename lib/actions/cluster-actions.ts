"use server";

import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { completeCaRequest, updateExternalCrl } from "@/lib/services/clusters/external-ca";
import { archiveCluster, updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { ZClusterSettingsFormInput, ZCreateClusterInput } from "@/lib/validations/clusters";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const createClusterAction = userAction(ZCreateClusterInput, async (input, user) => {
  const { database, keyRing } = await getRuntime();
  const cluster = await createCluster(database.db, user, keyRing.current, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name, caKind: cluster.caKind };
});

export const updateClusterSettingsAction = userAction(ZClusterSettingsFormInput, async ({ clusterId, ...input }, user) => {
  const { database } = await getRuntime();
  const cluster = await updateClusterSettings(database.db, user, clusterId, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name };
});

export const archiveClusterAction = userAction(z.object({ clusterId: z.string().uuid(), confirmName: z.string().default("") }), async ({ clusterId, confirmName }, user) => {
  const { database } = await getRuntime();
  const cluster = await archiveCluster(database.db, user, clusterId, confirmName);
  revalidateCertificateViews();
  return { name: cluster.name };
});

const pemText = (max: number) => z.string().max(max, `At most ${max / 1024} KiB`).optional();

export const completeCaRequestAction = userAction(
  z.object({ clusterId: z.string().uuid(), certificatePem: z.string().trim().min(1, "Paste the certificate the external root signed").max(64 * 1024), chainPem: pemText(256 * 1024), crlPem: pemText(16 * 1024 * 1024) }),
  async ({ clusterId, ...upload }, user) => {
    const { database, keyRing } = await getRuntime();
    const completed = await completeCaRequest(database.db, user, keyRing, clusterId, upload);
    revalidateCertificateViews();
    return { clusterName: completed.clusterName, issuer: completed.issuer };
  },
);

export const updateExternalCrlAction = userAction(z.object({ clusterId: z.string().uuid(), crlPem: z.string().trim().min(1, "Paste the external CRL(s)").max(16 * 1024 * 1024) }), async ({ clusterId, crlPem }, user) => {
  const { database } = await getRuntime();
  const { clusterName, nextUpdate } = await updateExternalCrl(database.db, user, clusterId, crlPem);
  revalidateCertificateViews();
  return { clusterName, nextUpdate: nextUpdate?.toISOString() ?? null };
});
