import { apiHandler } from "@/lib/api/api-handler";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";

export const dynamic = "force-dynamic";

/** The CA certificates clients must trust (old + new during a rotation), PEM. */
export const GET = apiHandler<{ cluster: string }>(async ({ db, actor, params }) => {
  const { clusterName, pem } = await getTrustBundle(db, actor, params.cluster);
  return new Response(pem, {
    headers: { "Content-Type": "application/x-pem-file", "Content-Disposition": `attachment; filename="${clusterName}-root.crt"` },
  });
});
