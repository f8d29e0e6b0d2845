import { apiHandler } from "@/lib/api/api-handler";
import { derToPem } from "@/lib/pki";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";

export const dynamic = "force-dynamic";

/** The current CRL: DER (application/pkix-crl, RFC 5280 §4.2.1.13), or PEM with ?format=pem. */
export const GET = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const crl = await getCurrentCrl(db, actor, params.cluster);
  const headers = { "Last-Modified": crl.thisUpdate.toUTCString(), Expires: crl.nextUpdate.toUTCString() };
  if (request.nextUrl.searchParams.get("format") === "pem") {
    return new Response(derToPem(crl.der, "X509 CRL"), { headers: { ...headers, "Content-Type": "application/x-pem-file" } });
  }
  return new Response(new Uint8Array(crl.der), { headers: { ...headers, "Content-Type": "application/pkix-crl" } });
});
