"use server";

import { z } from "zod";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { completeCaRequest, updateExternalCrl } from "@/lib/services/clusters/external-ca";
import { archiveCluster, updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { ZClusterSettingsFormInput, ZCreateClusterInput } from "@/lib/validations/clusters";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

export const createClusterAction = userAction("cluster.create", ZCreateClusterInput, async (input, { db, actor, keyRing }) => {
  const cluster = await createCluster(db, actor, keyRing.current, input);
  revalidateCertificateViews();
  return { id: cluster.id, name: cluster.name, caKind: cluster.caKind };
});

export const updateClusterSettingsAction = userAction(
  "cluster.update",
  ZClusterSettingsFormInput,
  async ({ clusterId, ...input }, { db, actor }) => {
    const cluster = await updateClusterSettings(db, actor, clusterId, input);
    revalidateCertificateViews();
    return { id: cluster.id, name: cluster.name };
  },
);

export const archiveClusterAction = userAction(
  "cluster.archive",
  z.object({ clusterId: z.string().uuid(), confirmName: z.string().default("") }),
  async ({ clusterId, confirmName }, { db, actor }) => {
    const cluster = await archiveCluster(db, actor, clusterId, confirmName);
    revalidateCertificateViews();
    return { name: cluster.name };
  },
);

const pemText = (max: number) =>
  z
    .string()
    .max(max, `At most ${max / 1024} KiB`)
    .optional();

export const completeCaRequestAction = userAction(
  "ca_request.complete",
  z.object({
    clusterId: z.string().uuid(),
    certificatePem: z
      .string()
      .trim()
      .min(1, "Paste the certificate the external root signed")
      .max(64 * 1024),
    chainPem: pemText(256 * 1024),
    crlPem: pemText(16 * 1024 * 1024),
  }),
  async ({ clusterId, ...upload }, { db, actor, keyRing }) => {
    const completed = await completeCaRequest(db, actor, keyRing, clusterId, upload);
    revalidateCertificateViews();
    return { clusterName: completed.clusterName, issuer: completed.issuer };
  },
);

export const updateExternalCrlAction = userAction(
  "ca.external_crl_update",
  z.object({
    clusterId: z.string().uuid(),
    crlPem: z
      .string()
      .trim()
      .min(1, "Paste the external CRL(s)")
      .max(16 * 1024 * 1024),
  }),
  async ({ clusterId, crlPem }, { db, actor }) => {
    const { clusterName, nextUpdate } = await updateExternalCrl(db, actor, clusterId, crlPem);
    revalidateCertificateViews();
    return { clusterName, nextUpdate: nextUpdate?.toISOString() ?? null };
  },
);
