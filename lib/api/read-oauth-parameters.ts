import "server-only";
import type { NextRequest } from "next/server";
import { isAppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/services/devices/oauth-error";
import { parseJsonObject, readBodyText } from "./api-handler";

const OAUTH_BODY_LIMIT = 16 * 1024;

/**
 * The parameters of an OAuth endpoint's request: application/x-www-form-urlencoded as RFC 6749
 * §4.1.3 and RFC 8628 §3.1 send them, or a JSON object. A parameter given twice is refused (RFC
 * 6749 §3.1: parameters MUST NOT be included more than once), as is a body that is neither.
 */
export async function readOAuthParameters(request: NextRequest): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBodyText(
      request.body as unknown as AsyncIterable<Uint8Array> | null,
      request.headers.get("content-length"),
      OAUTH_BODY_LIMIT,
    );
  } catch (error) {
    throw new OAuthError("invalid_request", isAppError(error) ? error.message : "the body could not be read");
  }
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  // A JSON object is read as one whatever the label (fetch labels a string body text/plain).
  if (type === "application/json" || text.trim().startsWith("{")) {
    try {
      return parseJsonObject(text);
    } catch (error) {
      throw new OAuthError("invalid_request", isAppError(error) ? error.message : "the body is not valid JSON");
    }
  }
  if (type !== "application/x-www-form-urlencoded" && type !== "" && type !== "text/plain")
    throw new OAuthError("invalid_request", `send application/x-www-form-urlencoded or JSON (got ${type.slice(0, 80)})`);
  const form = new URLSearchParams(text);
  const result: Record<string, string> = {};
  for (const [key, value] of form) {
    if (key in result) throw new OAuthError("invalid_request", `${key.slice(0, 40)}: given more than once`);
    if (value.includes("\u0000")) throw new OAuthError("invalid_request", `${key.slice(0, 40)}: contains a NUL character`);
    result[key] = value;
  }
  return result;
}

/** An OAuth error as RFC 6749 §5.2 shapes it: 400, `{error, error_description}`, never cached. */
export function oauthErrorResponse(error: OAuthError): Response {
  return Response.json(
    { error: error.error, error_description: error.description },
    { status: 400, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } },
  );
}
