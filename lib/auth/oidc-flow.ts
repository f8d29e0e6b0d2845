import "server-only";
import * as client from "openid-client";
import { AppError } from "@/lib/errors/app-error";
import type { TOidcSettings } from "@/lib/validations/oidc";

/** What the browser's sign-in attempt must carry back: kept server-side, keyed by `state`. */
export type OidcTransaction = { state: string; nonce: string; codeVerifier: string; next: string };

/** The person the provider vouched for, after every check of the ID token passed. */
export type OidcIdentity = { subject: string; email: string; name: string; groups: string[] };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const configurations = new Map<string, Promise<client.Configuration>>();

/**
 * Discovery (OpenID Connect Discovery 1.0): the document's `issuer` must equal the configured one
 * exactly (§4.3), so a provider answering as another issuer is refused here. Cached per process.
 */
function configurationFor(settings: TOidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}\n${settings.clientId}\n${settings.clientSecret}`;
  let pending = configurations.get(key);
  if (!pending) {
    const issuer = new URL(settings.issuer);
    // Plain http only for a provider on this machine (tests, development); tokens travel in the clear otherwise.
    const insecure = issuer.protocol === "http:" && LOOPBACK.has(issuer.hostname);
    pending = client
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .then((config) => {
        // The ID token's signature is checked against the provider's JWKS even though it came
        // straight from the token endpoint (OIDC Core §3.1.3.7 would allow trusting TLS alone).
        client.enableNonRepudiationChecks(config);
        return config;
      });
    pending.catch(() => configurations.delete(key));
    configurations.set(key, pending);
  }
  return pending;
}

/** openid-client's message is generic; the specific check that failed is in `cause` or the provider's error body. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const body = error as Error & { error?: unknown; error_description?: unknown; cause?: unknown };
  if (typeof body.error === "string")
    return `${body.error}${typeof body.error_description === "string" ? ` (${body.error_description})` : ""}`;
  const cause = body.cause instanceof Error ? body.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}

function refused(step: string, error: unknown): AppError {
  const detail = describe(error);
  return new AppError("UNAUTHENTICATED", `single sign-on failed at ${step}: ${detail}`);
}

/** Starts Authorization Code + PKCE (RFC 7636, S256) with a fresh state and nonce. */
export async function beginOidcSignIn(
  settings: TOidcSettings,
  redirectUri: string,
  next: string,
): Promise<{ url: URL; transaction: OidcTransaction }> {
  let config: client.Configuration;
  try {
    config = await configurationFor(settings);
  } catch (error) {
    throw refused("discovery", error);
  }
  const transaction: OidcTransaction = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    next,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes,
    state: transaction.state,
    nonce: transaction.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: "S256",
  });
  return { url, transaction };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/**
 * Finishes the flow at the redirect URI: openid-client checks state, exchanges the code with the
 * PKCE verifier, and validates the ID token (signature against the JWKS, iss, aud, exp, iat,
 * nonce). Group membership may come in the ID token or only from userinfo (whose `sub` must match).
 */
export async function finishOidcSignIn(settings: TOidcSettings, callbackUrl: URL, transaction: OidcTransaction): Promise<OidcIdentity> {
  let config: client.Configuration;
  try {
    config = await configurationFor(settings);
  } catch (error) {
    throw refused("discovery", error);
  }
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw refused("the ID token check", error);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw refused("the ID token check", "no ID token");
  let claims: Record<string, unknown> = { ...idClaims };
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...idClaims };
    } catch (error) {
      throw refused("userinfo", error);
    }
  }
  const email = stringClaim(claims.email)?.toLowerCase();
  if (!email) throw new AppError("FORBIDDEN", "the identity provider gave no email address for this account (scope email)");
  // The email links the person to an existing account: one the provider says is unverified must not.
  if (claims.email_verified === false) throw new AppError("FORBIDDEN", `the identity provider has not verified the email address ${email}`);
  const groupsValue = claims[settings.groupsClaim];
  const groups = Array.isArray(groupsValue)
    ? groupsValue.filter((g): g is string => typeof g === "string")
    : typeof groupsValue === "string"
      ? [groupsValue]
      : [];
  return { subject: idClaims.sub, email, name: stringClaim(claims.name) ?? email, groups };
}
