import { z } from "zod";
import { ZDatabaseUser } from "./access";

const CLUSTER_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * RFC 8628 §3.1 device authorization request. `device_name` is the laptop's host name, shown on
 * the approval page (printable text only, so it cannot pose as page content); `scope` is the
 * space-separated cluster names the login asks for (RFC 6749 §3.3), none = all the user may see.
 */
export const ZDeviceCodeRequest = z.object({
  client_id: z.string({ message: "client_id is required" }).min(1, "client_id is required"),
  device_name: z
    .string()
    .trim()
    .max(100, "device_name: at most 100 characters")
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, "device_name: printable characters only")
    .optional()
    .default(""),
  scope: z
    .string()
    .optional()
    .default("")
    .transform((v) => [...new Set(v.split(" ").filter(Boolean))])
    .pipe(
      z
        .array(z.string().max(63).regex(CLUSTER_NAME, "scope: cluster names (lower-case letters, digits, - and _) separated by spaces"))
        .max(50, "scope: at most 50 clusters"),
    ),
});

/** RFC 8628 §3.4 device access token request. */
export const ZDeviceTokenRequest = z.object({
  grant_type: z.string({ message: "grant_type is required" }).min(1, "grant_type is required"),
  device_code: z.string({ message: "device_code is required" }).min(1, "device_code is required").max(200),
  client_id: z.string({ message: "client_id is required" }).min(1, "client_id is required"),
});

/** A login certificate for the laptop's own key: CN must be the database user. */
export const ZLoginCertificateInput = z.object({
  databaseUser: ZDatabaseUser,
  csrPem: z
    .string({ message: "csrPem: the PEM text of a certificate request" })
    .min(1)
    .max(64 * 1024, "csrPem: at most 64 KiB"),
});
export type TLoginCertificateInput = z.input<typeof ZLoginCertificateInput>;

/** The /device page's Approve / Deny. */
export const ZDeviceDecisionInput = z.object({
  userCode: z.string().trim().min(1, "Enter the code shown by cluster-tls login").max(20),
  decision: z.enum(["approve", "deny"]),
});
export type TDeviceDecisionInput = z.input<typeof ZDeviceDecisionInput>;

export const ZRevokeDeviceInput = z.object({ deviceId: z.string().uuid() });
