import { apiHandler } from "@/lib/api/api-handler";
import { getCurrentCrl, getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";

export const dynamic = "force-dynamic";

/**
 * The current CRL: DER (application/pkix-crl, RFC 5280 §4.2.1.13) of the signing CA, or with
 * ?format=pem what ssl_crl_file needs — the CRL of every trusted CA (two during a rotation).
 */
export const GET = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  if (request.nextUrl.searchParams.get("format") === "pem") {
    const crls = await getTrustedCrlsPem(db, actor, params.cluster);
    return new Response(crls.pem, { headers: { Expires: crls.nextUpdate.toUTCString(), "Content-Type": "application/x-pem-file" } });
  }
  const crl = await getCurrentCrl(db, actor, params.cluster);
  const headers = { "Last-Modified": crl.thisUpdate.toUTCString(), Expires: crl.nextUpdate.toUTCString() };
  return new Response(new Uint8Array(crl.der), { headers: { ...headers, "Content-Type": "application/pkix-crl" } });
});
