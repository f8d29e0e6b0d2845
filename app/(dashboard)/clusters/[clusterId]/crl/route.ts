import { sessionDownload } from "@/lib/api/session-download";
import { getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";

export const dynamic = "force-dynamic";

/** root.crl in PEM, the form ssl_crl_file and the bundles use (every trusted CA's CRL). */
export const GET = sessionDownload<{ clusterId: string }>(async ({ db, user, params }) => {
  const crls = await getTrustedCrlsPem(db, user, params.clusterId);
  return { body: crls.pem, filename: `${crls.clusterName}-root.crl`, contentType: "application/x-pem-file" };
});
