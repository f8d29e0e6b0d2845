import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { containsNul, nulPath } from "@/lib/validations/postgres-text";
import { isPkiError } from "@/lib/pki/errors";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { recordRefusal } from "@/lib/services/audit/record-refusal";
import { authenticateApiToken } from "@/lib/services/tokens/authenticate-api-token";
import { authenticateNodeCredential } from "@/lib/services/agents/authenticate-node-credential";
import { looksLikeNodeCredential } from "@/lib/services/agents/agent-secrets";
import { authenticateDeviceCredential } from "@/lib/services/devices/authenticate-device-credential";
import { looksLikeDeviceCredential } from "@/lib/services/devices/device-secrets";

type ApiContext<P> = { request: NextRequest; actor: Actor; db: Database; params: P };

/** The API's error body: `{"error":{"code","message"}}`, never a stack trace. */
export function apiError(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

export function toApiError(error: unknown): NextResponse {
  if (isAppError(error)) return apiError(error.httpStatus, error.code, error.message);
  if (isPkiError(error)) return apiError(422, error.code, error.message);
  console.error("[cluster-tls] unexpected API error:", describeError(error));
  return apiError(500, "INTERNAL", "internal error; it was logged on the server");
}

type ApiHandlerOptions = {
  /** A credential other than an API token that this route also accepts (e.g. the metrics scrape token). */
  alternativeAuth?: (request: NextRequest) => Actor | null;
  /** No credential: the route authenticates its caller from the body (an agent's enrollment code). */
  anonymous?: boolean;
  /** A developer login's device credential (`ctlsd_…`) may call this route; on any other it is refused. */
  device?: boolean;
};

/** The value of `Authorization: Bearer <value>`, or undefined. */
export const bearerValue = (authorization: string | null | undefined) => /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "")?.[1];

/** `Bearer ctlsn_…` is a node's agent, `Bearer ctlsd_…` a developer login; any other bearer value an API token. */
async function authenticate(db: Database, request: NextRequest): Promise<Actor> {
  const info = requestInfoFrom(request.headers);
  const authorization = request.headers.get("authorization");
  const bearer = bearerValue(authorization);
  if (bearer && looksLikeNodeCredential(bearer)) return authenticateNodeCredential(db, bearer, info);
  if (bearer && looksLikeDeviceCredential(bearer)) return authenticateDeviceCredential(db, bearer, info);
  return authenticateApiToken(db, authorization, info);
}

/** Every /api/v1 route: bearer token → Actor, then the handler; errors become JSON. */
export function apiHandler<P = Record<string, never>>(handler: (context: ApiContext<P>) => Promise<Response>, { alternativeAuth, anonymous = false, device = false }: ApiHandlerOptions = {}) {
  return async (request: NextRequest, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const { database } = await getRuntime();
      const actor: Actor = anonymous
        ? { type: "anonymous", label: "anonymous", ...requestInfoFrom(request.headers) }
        : (alternativeAuth?.(request) ?? (await authenticate(database.db, request)));
      if (actor.type === "device" && !device) throw new AppError("FORBIDDEN", `${actor.label}: a device credential from cluster-tls login may only use /api/v1/device and login certificates`);
      const resolved = await params;
      for (const [name, value] of Object.entries(resolved ?? {})) {
        if (typeof value === "string" && containsNul(value)) throw new AppError("VALIDATION_FAILED", `${name}: contains a NUL character`);
      }
      try {
        return await handler({ request, actor, db: database.db, params: resolved });
      } catch (error) {
        // A permission check said no: one audit row for this request (garbage tokens never get here).
        await recordRefusal(async () => database.db, actor, error, { request: `${request.method} ${request.nextUrl.pathname}` });
        throw error;
      }
    } catch (error) {
      return toApiError(error);
    }
  };
}

/** Bodies are small JSON; routes that take CRLs (an external root's can be big) raise it. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const CRL_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Reads a JSON object body; malformed JSON or a non-object is a 400 that says so, a body over
 * `maxBytes` a 413 (checked while reading, so a huge body is not buffered). With `optional`, an
 * empty body reads as {} (endpoints whose fields all have defaults).
 */
export async function readJsonObject(request: NextRequest, { optional = false, maxBytes = DEFAULT_BODY_LIMIT } = {}): Promise<Record<string, unknown>> {
  const text = await readBodyText(request.body as unknown as AsyncIterable<Uint8Array> | null, request.headers.get("content-length"), maxBytes);
  if (optional && text.trim() === "") return {};
  return parseJsonObject(text);
}

/** The body text as a JSON object, or the 400 that says what is wrong with it. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION_FAILED", "request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("VALIDATION_FAILED", "the body must be a JSON object");
  const nul = nulPath(body);
  if (nul) throw new AppError("VALIDATION_FAILED", `${nul}: contains a NUL character`);
  return body as Record<string, unknown>;
}

/** A request body (a web stream or Node's IncomingMessage) as text, refused past `maxBytes` while reading. */
export async function readBodyText(body: AsyncIterable<Uint8Array> | null, contentLength: string | null | undefined, maxBytes = DEFAULT_BODY_LIMIT): Promise<string> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `the body is larger than ${Math.round(maxBytes / 1024)} KiB`);
  if (Number(contentLength ?? 0) > maxBytes) throw tooLarge();
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
