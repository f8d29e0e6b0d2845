import { z } from "zod";
import { USER_ROLES } from "@/lib/db/schema/enums";

const ZDatabaseUser = z.string().trim().min(1).max(63);

/** One identity-provider group: the role it confers and the clusters (by name) with database users. */
export const ZOidcGroupMapping = z.strictObject({
  role: z.enum(USER_ROLES),
  clusters: z.record(z.string().trim().min(1).max(63), z.array(ZDatabaseUser).max(100)).optional(),
});

/** CLUSTER_TLS_OIDC_GROUP_MAP: `{"pki-admins":{"role":"admin"},"orders-devs":{"role":"developer","clusters":{"orders-prod":["app_rw"]}}}` */
export const ZOidcGroupMap = z.record(z.string().min(1).max(256), ZOidcGroupMapping);
export type TOidcGroupMap = z.infer<typeof ZOidcGroupMap>;

export const ZOidcSettings = z.object({
  issuer: z.url({ protocol: /^https?$/, error: "CLUSTER_TLS_OIDC_ISSUER must be an http(s) URL" }),
  clientId: z.string().min(1, "CLUSTER_TLS_OIDC_CLIENT_ID is empty"),
  clientSecret: z.string().min(1, "CLUSTER_TLS_OIDC_CLIENT_SECRET is empty"),
  providerName: z.string().trim().min(1).max(60),
  groupsClaim: z.string().trim().min(1).max(100),
  scopes: z
    .string()
    .trim()
    .regex(/(^|\s)openid(\s|$)/, "CLUSTER_TLS_OIDC_SCOPES must include openid")
    .max(500),
  groupMap: ZOidcGroupMap,
});
export type TOidcSettings = z.infer<typeof ZOidcSettings>;
