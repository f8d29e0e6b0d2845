import { getSessionUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";

export const dynamic = "force-dynamic";

/**
 * The browser's "Download client bundle" form posts here (a server action cannot stream a file).
 * Cookies ride along with cross-site form posts, so the Origin must be this site (CSRF).
 */
export async function POST(request: Request, { params }: { params: Promise<{ clusterId: string }> }) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (!origin || !host || new URL(origin).host !== host) return new Response("cross-site request refused\n", { status: 403 });
  const user = await getSessionUser();
  if (!user) return new Response("sign in first\n", { status: 401 });
  const form = await request.formData();
  const { clusterId } = await params;
  try {
    const { database, keyRing } = await getRuntime();
    const bundle = await issueClientBundle(database.db, user, keyRing, clusterId, {
      databaseUser: String(form.get("databaseUser") ?? ""),
      days: form.get("days") ? Number(form.get("days")) : undefined,
      p12Password: String(form.get("p12Password") ?? "") || undefined,
    });
    return new Response(new Uint8Array(bundle.zip), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${bundle.filename}"`, "Cache-Control": "no-store" },
    });
  } catch (error) {
    if (isAppError(error)) return new Response(`${error.message}\n`, { status: error.httpStatus, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    console.error(`[cluster-tls] client bundle failed: ${describeError(error)}`);
    return new Response("internal error; it was logged on the server\n", { status: 500 });
  }
}
