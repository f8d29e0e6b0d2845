import { sessionDownload } from "@/lib/api/session-download";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";

export const dynamic = "force-dynamic";

export const GET = sessionDownload<{ clusterId: string }>(async ({ db, user, params }) => {
  const { clusterName, pem } = await getTrustBundle(db, user, params.clusterId);
  return { body: pem, filename: `${clusterName}-root.crt`, contentType: "application/x-pem-file" };
});
