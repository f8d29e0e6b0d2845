import type { Operation } from "../operation";

/** A corporate root's CRL can be large: the operations that take one raise the 1 MiB body limit. */
export const CRL_BODY_LIMIT = 32 * 1024 * 1024;

export const TOKEN = ["apiToken"] as const;
export const NODE = ["nodeCredential"] as const;
export const DEVICE = ["deviceCredential"] as const;
export const PUBLIC = [] as const;
export const PEM = ["application/x-pem-file"];
export const ZIP = ["application/zip"];
export const NOT_MODIFIED = {
  304: { description: "Unchanged since the ETag given in If-None-Match", contentTypes: [] },
} satisfies Operation["responses"];
