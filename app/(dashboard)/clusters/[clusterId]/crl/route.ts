import { sessionDownload } from "@/lib/api/session-download";
import { derToPem } from "@/lib/pki";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";

export const dynamic = "force-dynamic";

/** root.crl in PEM, the form ssl_crl_file and the bundles use. */
export const GET = sessionDownload<{ clusterId: string }>(async ({ db, user, params }) => {
  const crl = await getCurrentCrl(db, user, params.clusterId);
  return { body: derToPem(crl.der, "X509 CRL"), filename: `${crl.clusterName}-root.crl`, contentType: "application/x-pem-file" };
});
