import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/**
 * A real OpenID Provider (panva's oidc-provider, an OpenID-certified implementation) on loopback,
 * for sign-in tests. People sign in on its own development login page (devInteractions: the
 * provider's built-in interaction pages, which accept any listed login and ignore the password).
 * Consent is implied for the test client, as a company IdP does for first-party apps.
 *
 * The `misbehave` switches configure the provider the way a broken or hostile IdP would behave,
 * so the app's refusals are proven against real tokens, not hand-made ones.
 */
export type TestOidcUser = { login: string; email: string; name: string; groups: string[]; emailVerified?: boolean };

export type Misbehaviour = {
  /** The provider calls itself by another name (localhost) than the URL it is served at (wrong issuer). */
  wrongIssuer?: boolean;
  /** ID tokens are issued to another client (wrong audience). */
  audience?: "other-client";
  /** ID tokens expired before they were issued (ttl in the past). */
  expiredIdTokens?: boolean;
  /** The published JWKS holds another key under the signing key's kid (bad signature). */
  foreignJwks?: boolean;
  /** The nonce of the authorization request is dropped, so the ID token has none. */
  dropNonce?: boolean;
};

export type StartOidcProviderOptions = {
  clientId?: string;
  clientSecret?: string;
  redirectUris: string[];
  users: TestOidcUser[];
  misbehave?: Misbehaviour;
  port?: number;
};

export type TestOidcProvider = {
  /** Where it is served: what the app is configured with. */
  url: string;
  /** What it calls itself in discovery and tokens (differs from url only with wrongIssuer). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changes a user's groups at the provider; the next sign-in sees them. */
  setGroups: (login: string, groups: string[]) => void;
  close: () => Promise<void>;
};

const OTHER_CLIENT = { client_id: "other-client", client_secret: "other-client-secret-0123456789abcdef" };

function signingKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const about = { kid, use: "sig", alg: "RS256" };
  return {
    privateJwk: { ...privateKey.export({ format: "jwk" }), ...about },
    publicJwk: { ...publicKey.export({ format: "jwk" }), ...about },
  };
}

export async function startOidcProvider(options: StartOidcProviderOptions): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? "cluster-tls";
  const clientSecret = options.clientSecret ?? `secret-${randomUUID()}`;
  const misbehave = options.misbehave ?? {};
  const users = new Map(options.users.map((user) => [user.login, { ...user, groups: [...user.groups] }]));

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const served = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = misbehave.wrongIssuer ? served.replace("127.0.0.1", "localhost") : served;

  const key = signingKey("test-key-1").privateJwk;
  // Another key under the same kid: a verifier that trusts the published JWKS must reject the signature.
  const foreignPublic = signingKey("test-key-1").publicJwk;

  const client = {
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: options.redirectUris,
    response_types: ["code" as const],
    grant_types: ["authorization_code"],
  };
  const configuration: Configuration = {
    clients: [
      client,
      { ...OTHER_CLIENT, redirect_uris: options.redirectUris, response_types: ["code" as const], grant_types: ["authorization_code"] },
    ],
    jwks: { keys: [key as never] },
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomUUID()] },
    ttl: misbehave.expiredIdTokens ? { IdToken: () => -2 * 3600 } : {},
    async findAccount(_ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          name: user.name,
          groups: [...user.groups],
        }),
      };
    },
    // First-party app: consent is implied (the login page is the only interaction).
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["groups", "email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);

  // Misbehaviours that need the request or response rewritten, through the provider's middleware API.
  provider.use(async (ctx, next) => {
    if (ctx.path === "/auth" && ctx.method === "GET") {
      const query = new URLSearchParams(ctx.querystring);
      if (misbehave.audience && query.get("client_id") === clientId) query.set("client_id", OTHER_CLIENT.client_id);
      if (misbehave.dropNonce) query.delete("nonce");
      ctx.querystring = query.toString();
    }
    if (ctx.path === "/token" && misbehave.audience) {
      // The token request authenticates as the other client too (client_secret_post, openid-client's default).
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      form.set("client_id", OTHER_CLIENT.client_id);
      form.set("client_secret", OTHER_CLIENT.client_secret);
      (ctx.req as typeof ctx.req & { body?: string }).body = form.toString();
    }
    await next();
    if (ctx.path === "/jwks" && misbehave.foreignJwks) ctx.body = { keys: [foreignPublic] };
  });

  server.on("request", provider.callback());
  return {
    url: served,
    issuer,
    clientId,
    clientSecret,
    setGroups(login, groups) {
      const user = users.get(login);
      if (!user) throw new Error(`no test user ${login}`);
      user.groups = [...groups];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
