import { sessionDownload } from "@/lib/api/session-download";
import { AppError } from "@/lib/errors/app-error";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { csrClientBundle } from "@/lib/services/certificates/sign-client-csr";

export const dynamic = "force-dynamic";

/**
 * The browser's "Download client bundle" form posts here (a server action cannot stream a file):
 * a new key and certificate, or, with a CSR, the certificate alone.
 */
export const POST = sessionDownload<{ clusterId: string }>(async ({ db, actor, keyRing, params, request }) => {
  const form = await request.formData().catch(() => {
    throw new AppError("VALIDATION_FAILED", "expected the form's fields (multipart/form-data)");
  });
  const databaseUser = String(form.get("databaseUser") ?? "");
  // The form's text as it is: the service's schema names a bad lifetime as a field error.
  const days = String(form.get("days") ?? "");
  const csrPem = String(form.get("csrPem") ?? "").trim();
  const bundle = csrPem
    ? await csrClientBundle(db, actor, keyRing, params.clusterId, { databaseUser, days, csrPem })
    : await issueClientBundle(db, actor, keyRing, params.clusterId, {
        databaseUser,
        days,
        p12Password: String(form.get("p12Password") ?? "") || undefined,
      });
  return { body: bundle.zip, filename: bundle.filename, contentType: "application/zip" };
});
