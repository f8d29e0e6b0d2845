import "server-only";
import { getSessionUser } from "@/lib/auth/current-user";
import { isTrustedOrigin } from "@/lib/auth/request-origin.mjs";
import { sessionContext, type SessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { isPkiError } from "@/lib/pki/errors";
import { recordRefusal } from "@/lib/services/audit/record-refusal";
import { attachmentDisposition } from "./attachment-disposition";

type Download = { body: string | Uint8Array; filename: string; contentType: string };

/**
 * A file download for the signed-in browser user (the REST API uses bearer tokens instead).
 * GET downloads are plain links; POST ones (a form that issues something) carry cookies, so they
 * must come from this app's pages (CSRF): the check `npm start` makes for every form post.
 * `produce` gets the request context (the signed-in user as actor), the route's params and the request.
 */
export function sessionDownload<P>(produce: (context: SessionContext & { params: P; request: Request }) => Promise<Download | Response>) {
  return async (request: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    if (request.method !== "GET" && !isTrustedOrigin(request.headers)) return new Response("cross-site request refused\n", { status: 403 });
    const user = await getSessionUser();
    if (!user) return new Response("sign in first\n", { status: 401 });
    const context = await sessionContext(user);
    try {
      const file = await produce({ ...context, params: await params, request });
      if (file instanceof Response) return file; // a cached file with its own validators (published-file-response.ts)
      const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
      return new Response(body, {
        headers: {
          "Content-Type": file.contentType,
          "Content-Disposition": attachmentDisposition(file.filename),
          "Cache-Control": "no-store",
        },
      });
    } catch (error) {
      await recordRefusal(async () => context.db, context.actor, error, { request: `${request.method} ${new URL(request.url).pathname}` });
      if (isAppError(error)) return new Response(`${error.message}\n`, { status: error.httpStatus });
      if (isPkiError(error)) return new Response(`${error.message}\n`, { status: 422 });
      console.error(`[cluster-tls] download failed: ${describeError(error)}`);
      return new Response("internal error; it was logged on the server\n", { status: 500 });
    }
  };
}
