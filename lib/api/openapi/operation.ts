import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "DELETE";

/** How a caller proves who it is (components.securitySchemes of the document). */
export type SecurityName = "apiToken" | "nodeCredential" | "deviceCredential" | "metricsToken";

/** `contentTypes`: what the body may be (default JSON); empty for an answer without a body (304). */
export type SuccessResponse = { description: string; contentTypes?: readonly string[] };

/**
 * One endpoint: what the document says about it and what apiHandler enforces, from the same
 * object. A route passes its operation to apiHandler, which reads the credential rule, the body
 * and the query from here: the published contract cannot say one thing while the route checks another.
 */
export type Operation = {
  id: string;
  method: HttpMethod;
  /** OpenAPI path template: `/api/v1/nodes/{node}/reissue` for app/api/v1/nodes/[node]/reissue. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Credentials accepted, any one of them; empty = no credential (the agent file, enrollment, this document). */
  auth: readonly SecurityName[];
  /** The JSON body's contract; absent = the route reads no body. */
  body?: z.ZodType;
  /** An empty body reads as {} (every field has a default). */
  bodyOptional?: boolean;
  /** Bodies are small JSON; CRL uploads raise it. */
  maxBodyBytes?: number;
  /**
   * An OAuth endpoint's parameters (RFC 6749 §3.2, RFC 8628 §3.1/§3.4): form-encoded or JSON, read
   * by the route and checked by its service with this schema; refusals use the OAuth error shape.
   */
  oauthParameters?: z.ZodType;
  /** The query string's contract (each parameter once, as text). */
  query?: z.ZodType;
  /** Answers with the operation's own body, by status; the error-shaped answers are added from what the operation takes. */
  responses: Readonly<Record<number, SuccessResponse>>;
  /** Refusals beyond the ones every such operation has (409 for a conflict, 422 for a PKI refusal, …). */
  errors?: readonly number[];
};

export function defineOperation<const O extends Operation>(operation: O): O {
  return operation;
}

/** `{node}` in the template → `{ node: string }`, what Next.js hands the route as params. */
type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
export type PathParams<S extends string> = { [K in ParamNames<S>]: string };

export type BodyOf<O extends Operation> = O["body"] extends z.ZodType ? z.output<O["body"]> : undefined;
export type QueryOf<O extends Operation> = O["query"] extends z.ZodType ? z.output<O["query"]> : undefined;
