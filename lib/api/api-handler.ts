import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import type { Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { requestInfoFrom, type RequestInfo } from "@/lib/auth/request-info";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { containsNul, nulPath } from "@/lib/validations/postgres-text";
import { isPkiError } from "@/lib/pki/errors";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { requestContextFor, type RequestContext } from "@/lib/runtime/request-context";
import { recordRefusal } from "@/lib/services/audit/record-refusal";
import { authenticateApiToken } from "@/lib/services/tokens/authenticate-api-token";
import { authenticateNodeCredential } from "@/lib/services/agents/authenticate-node-credential";
import { looksLikeNodeCredential } from "@/lib/services/agents/agent-secrets";
import { validationError } from "@/lib/validations/field-errors";
import type { BodyOf, Operation, PathParams, QueryOf } from "./openapi/operation";
import { authenticateDeviceCredential } from "@/lib/services/devices/authenticate-device-credential";
import { looksLikeDeviceCredential } from "@/lib/services/devices/device-secrets";

/** Bodies are small JSON; operations that take CRLs (an external root's can be big) raise it. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** What a route handler gets: the request, its path parameters, its checked input and the request context. */
export type ApiContext<O extends Operation> = RequestContext & {
  request: NextRequest;
  params: PathParams<O["path"]>;
  input: BodyOf<O>;
  query: QueryOf<O>;
};

/** The API's error body (`ZApiErrorBody`): `{"error":{"code","message"}}`, never a stack trace. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>): NextResponse {
  return NextResponse.json(
    { error: { code, message, ...(fields ? { fields } : {}) } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** A contract violation always carries `fields` (empty when the body as a whole is wrong): one shape for every endpoint. */
export function toApiError(error: unknown): NextResponse {
  if (isAppError(error))
    return apiError(
      error.httpStatus,
      error.code,
      error.message,
      error.code === "VALIDATION_FAILED" ? (error.fieldErrors ?? {}) : undefined,
    );
  if (isPkiError(error)) return apiError(422, error.code, error.message);
  console.error("[cluster-tls] unexpected API error:", describeError(error));
  return apiError(500, "INTERNAL", "internal error; it was logged on the server");
}

type ApiHandlerOptions = {
  /** A credential other than an API token that this route also accepts (e.g. the metrics scrape token). */
  alternativeAuth?: (request: NextRequest) => Actor | null;
};

/** The value of `Authorization: Bearer <value>`, or undefined. */
export const bearerValue = (authorization: string | null | undefined) => /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "")?.[1];

/** `Bearer ctlsn_…` is a node's agent, `Bearer ctlsd_…` a developer login; any other bearer value an API token. */
async function authenticate(db: Database, request: NextRequest, info: RequestInfo): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  const bearer = bearerValue(authorization);
  if (bearer && looksLikeNodeCredential(bearer)) return authenticateNodeCredential(db, bearer, info);
  if (bearer && looksLikeDeviceCredential(bearer)) return authenticateDeviceCredential(db, bearer, info);
  return authenticateApiToken(db, authorization, info);
}

/** `value` checked against `schema`, or the 400 naming the first problem, with every problem by field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, "the input does not match this endpoint's contract");
  return parsed.data;
}

/** The operation's body read (size, JSON, NUL) and checked against its contract. */
export async function readOperationBody<O extends Operation>(
  operation: O,
  body: AsyncIterable<Uint8Array> | null,
  contentLength: string | null | undefined,
): Promise<BodyOf<O>> {
  if (!operation.body) return undefined as BodyOf<O>;
  const text = await readBodyText(body, contentLength, operation.maxBodyBytes ?? DEFAULT_BODY_LIMIT);
  const value = operation.bodyOptional && text.trim() === "" ? {} : parseJsonObject(text);
  return parseInput(operation.body, value) as BodyOf<O>;
}

/**
 * Every API route: the credential the operation takes → Actor, the request context, the path
 * parameters, body and query checked against the operation's contract; then the handler. Errors
 * become JSON. The returned handler carries its operation, so the published document can be
 * checked against the routes that exist.
 */
export function apiHandler<const O extends Operation>(
  operation: O,
  handler: (context: ApiContext<O>) => Promise<Response>,
  { alternativeAuth }: ApiHandlerOptions = {},
) {
  const route = async (request: NextRequest, { params }: { params: Promise<PathParams<O["path"]>> }): Promise<Response> => {
    try {
      const requestInfo = requestInfoFrom(request.headers);
      const actor: Actor =
        operation.auth.length === 0
          ? { type: "anonymous", label: "anonymous", ...requestInfo }
          : (alternativeAuth?.(request) ?? (await authenticate((await getRuntime()).database.db, request, requestInfo)));
      const context = await requestContextFor(actor, requestInfo);
      // A developer login's credential opens only the operations that list it.
      if (actor.type === "device" && !operation.auth.includes("deviceCredential")) {
        throw new AppError(
          "FORBIDDEN",
          `${actor.label}: a device credential from cluster-tls login may only use /api/v1/device and login certificates`,
        );
      }
      const resolved = await params;
      for (const [name, value] of Object.entries(resolved ?? {})) {
        if (typeof value === "string" && containsNul(value))
          throw new AppError("VALIDATION_FAILED", `${name}: contains a NUL character`, { [name]: ["contains a NUL character"] });
      }
      const input = await readOperationBody(
        operation,
        request.body as unknown as AsyncIterable<Uint8Array> | null,
        request.headers.get("content-length"),
      );
      const query = (
        operation.query ? parseInput(operation.query, Object.fromEntries(request.nextUrl.searchParams)) : undefined
      ) as QueryOf<O>;
      try {
        return await handler({ ...context, request, params: resolved, input, query });
      } catch (error) {
        // A permission check said no: one audit row for this request (garbage tokens never get here).
        await recordRefusal(async () => context.db, actor, error, { request: `${request.method} ${request.nextUrl.pathname}` });
        throw error;
      }
    } catch (error) {
      return toApiError(error);
    }
  };
  return Object.assign(route, { operation });
}

/** The body text as a JSON object, or the 400 that says what is wrong with it. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION_FAILED", "request body is not valid JSON", {});
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new AppError("VALIDATION_FAILED", "the body must be a JSON object", {});
  const nul = nulPath(body);
  if (nul)
    throw new AppError("VALIDATION_FAILED", `${nul}: contains a NUL character`, {
      [nul.split(/[.[]/, 1)[0]!]: ["contains a NUL character"],
    });
  return body as Record<string, unknown>;
}

/** A request body (a web stream or Node's IncomingMessage) as text, refused past `maxBytes` while reading. */
export async function readBodyText(
  body: AsyncIterable<Uint8Array> | null,
  contentLength: string | null | undefined,
  maxBytes = DEFAULT_BODY_LIMIT,
): Promise<string> {
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
