import { describe, expect, it } from "vitest";
import { passwordSignInAllowed, readSignInSettings } from "./sign-in-settings";

const oidcEnv = {
  CLUSTER_TLS_OIDC_ISSUER: "https://idp.example.com/realms/acme",
  CLUSTER_TLS_OIDC_CLIENT_ID: "cluster-tls",
  CLUSTER_TLS_OIDC_CLIENT_SECRET: "s3cret",
  CLUSTER_TLS_OIDC_GROUP_MAP:
    '{"pki-admins":{"role":"admin"},"orders-devs":{"role":"developer","clusters":{"orders-prod":["app_rw","reporting"]}}}',
};

describe("readSignInSettings", () => {
  it("has no single sign-on and allows every password without configuration", () => {
    expect(readSignInSettings({})).toEqual({ oidc: null, passwordSignIn: "all", breakGlassAdmins: [] });
  });

  it("reads the provider, the groups claim default and the group map", () => {
    const { oidc } = readSignInSettings(oidcEnv);
    expect(oidc).toMatchObject({
      issuer: oidcEnv.CLUSTER_TLS_OIDC_ISSUER,
      clientId: "cluster-tls",
      groupsClaim: "groups",
      providerName: "idp.example.com",
      scopes: "openid email profile",
    });
    expect(oidc?.groupMap["orders-devs"]).toEqual({ role: "developer", clusters: { "orders-prod": ["app_rw", "reporting"] } });
  });

  it.each([
    [{ ...oidcEnv, CLUSTER_TLS_OIDC_GROUP_MAP: "{not json" }, /CLUSTER_TLS_OIDC_GROUP_MAP is not valid JSON/],
    [{ ...oidcEnv, CLUSTER_TLS_OIDC_GROUP_MAP: '{"x":{"role":"root"}}' }, /CLUSTER_TLS_OIDC_GROUP_MAP: x\.role/],
    [{ ...oidcEnv, CLUSTER_TLS_OIDC_CLIENT_SECRET: "" }, /CLUSTER_TLS_OIDC_CLIENT_SECRET is empty/],
    [{ ...oidcEnv, CLUSTER_TLS_OIDC_ISSUER: "ftp://idp" }, /CLUSTER_TLS_OIDC_ISSUER must be an http\(s\) URL/],
    [{ ...oidcEnv, CLUSTER_TLS_OIDC_SCOPES: "email profile" }, /CLUSTER_TLS_OIDC_SCOPES must include openid/],
    [{ CLUSTER_TLS_PASSWORD_SIGN_IN: "none" }, /CLUSTER_TLS_PASSWORD_SIGN_IN must be "all" or "break-glass", not "none"/],
  ])("names the variable at fault (%#)", (env, message) => {
    expect(() => readSignInSettings(env)).toThrow(message);
  });

  it("limits password sign-in to the named break-glass admins, case-insensitively", () => {
    const settings = readSignInSettings({
      CLUSTER_TLS_PASSWORD_SIGN_IN: "break-glass",
      CLUSTER_TLS_BREAK_GLASS_ADMINS: " Root@Example.com , ops@example.com",
    });
    expect(passwordSignInAllowed(settings, "root@example.com")).toBe(true);
    expect(passwordSignInAllowed(settings, "OPS@example.com")).toBe(true);
    expect(passwordSignInAllowed(settings, "dev@example.com")).toBe(false);
    expect(passwordSignInAllowed(readSignInSettings({}), "dev@example.com")).toBe(true);
  });
});
