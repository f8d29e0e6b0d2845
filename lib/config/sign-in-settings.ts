import { ConfigError } from "./errors";
import { ZOidcGroupMap, ZOidcSettings, type TOidcSettings } from "@/lib/validations/oidc";

type Env = Record<string, string | undefined>;

export type SignInSettings = {
  /** Single sign-on through an OpenID Provider, or null when CLUSTER_TLS_OIDC_ISSUER is unset. */
  oidc: TOidcSettings | null;
  /** `break-glass`: only the named admins may still sign in with a password. */
  passwordSignIn: "all" | "break-glass";
  breakGlassAdmins: string[];
};

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

function readGroupMap(raw: string | undefined) {
  if (!raw?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError("CLUSTER_TLS_OIDC_GROUP_MAP is not valid JSON");
  }
  const parsed = ZOidcGroupMap.safeParse(json);
  if (!parsed.success) throw new ConfigError(`CLUSTER_TLS_OIDC_GROUP_MAP: ${issuesOf(parsed.error)}`);
  return parsed.data;
}

/** Sign-in configuration from the environment; a misconfiguration names the variable at fault. */
export function readSignInSettings(env: Env = process.env): SignInSettings {
  const issuer = env.CLUSTER_TLS_OIDC_ISSUER?.trim();
  let oidc: TOidcSettings | null = null;
  if (issuer) {
    const parsed = ZOidcSettings.safeParse({
      issuer,
      clientId: env.CLUSTER_TLS_OIDC_CLIENT_ID?.trim() ?? "",
      clientSecret: env.CLUSTER_TLS_OIDC_CLIENT_SECRET ?? "",
      providerName: env.CLUSTER_TLS_OIDC_PROVIDER_NAME?.trim() || new URL(issuer).hostname,
      groupsClaim: env.CLUSTER_TLS_OIDC_GROUPS_CLAIM?.trim() || "groups",
      scopes: env.CLUSTER_TLS_OIDC_SCOPES?.trim() || "openid email profile",
      groupMap: readGroupMap(env.CLUSTER_TLS_OIDC_GROUP_MAP),
    });
    if (!parsed.success) throw new ConfigError(`single sign-on: ${issuesOf(parsed.error)}`);
    oidc = parsed.data;
  }
  const mode = env.CLUSTER_TLS_PASSWORD_SIGN_IN?.trim() || "all";
  if (mode !== "all" && mode !== "break-glass")
    throw new ConfigError(`CLUSTER_TLS_PASSWORD_SIGN_IN must be "all" or "break-glass", not "${mode}"`);
  const breakGlassAdmins = (env.CLUSTER_TLS_BREAK_GLASS_ADMINS ?? "")
    .split(",")
    .map((email) => email.trim().toLowerCase())
    .filter(Boolean);
  return { oidc, passwordSignIn: mode, breakGlassAdmins };
}

/** Whether this email may sign in with a password under the settings (break-glass admins only, when limited). */
export function passwordSignInAllowed(settings: SignInSettings, email: string): boolean {
  return settings.passwordSignIn === "all" || settings.breakGlassAdmins.includes(email.trim().toLowerCase());
}
