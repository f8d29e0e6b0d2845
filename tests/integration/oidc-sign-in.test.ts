import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { completeOidcSignIn, startOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import type { TOidcSettings } from "@/lib/validations/oidc";
import { insertClusterWithCa } from "@/tests/support/db-fixtures";
import { signInAtProvider } from "@/tests/support/oidc-browser";
import { startOidcProvider, type Misbehaviour, type TestOidcProvider } from "@/tests/support/oidc-provider";

// Single sign-on against a real OpenID Provider (oidc-provider) on loopback: its login page, its
// tokens, its JWKS. The misbehaving providers are configured to fail one check each.
const APP = "http://127.0.0.1:3999";
const CALLBACK = `${APP}/sign-in/sso/callback`;
const users = [
  { login: "ada", email: "ada@example.com", name: "Ada Admin", groups: ["pki-admins", "staff"] },
  { login: "dev", email: "dev@example.com", name: "Dev Eloper", groups: ["orders-devs"] },
  { login: "carol", email: "carol@example.com", name: "Carol", groups: ["orders-devs", "pki-auditors"] },
  { login: "eve", email: "eve@example.com", name: "Eve Outsider", groups: ["marketing"] },
  { login: "root", email: "Root@Example.com", name: "Root", groups: ["orders-devs"] },
  { login: "gone", email: "gone@example.com", name: "Gone", groups: ["pki-admins"] },
  { login: "claimer", email: "root@example.com", name: "Claims Root", groups: ["pki-admins"], emailVerified: false },
];
const groupMap: TOidcSettings["groupMap"] = {
  "pki-admins": { role: "admin" },
  "pki-auditors": { role: "auditor" },
  "orders-devs": { role: "developer", clusters: { "orders-prod": ["app_rw", "reporting"] } },
};
const actor: Actor = { type: "anonymous", label: "single sign-on" };

let handle: DatabaseHandle;
let dir: string;
let idp: TestOidcProvider;
let ordersId: string;
const settingsFor = (provider: TestOidcProvider): TOidcSettings => ({
  issuer: provider.url,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  providerName: "Test IdP",
  groupsClaim: "groups",
  scopes: "openid email profile groups",
  groupMap,
});

async function signIn(provider: TestOidcProvider, login: string) {
  const settings = settingsFor(provider);
  const { url, state } = await startOidcSignIn(handle.db, settings, { appOrigin: APP, next: "/device?code=ABCD" });
  const callbackUrl = await signInAtProvider(url, login, CALLBACK);
  return { callbackUrl, state, settings, result: completeOidcSignIn(handle.db, actor, settings, { callbackUrl, browserState: state }) };
}

async function counts() {
  const [u] = await handle.db.select({ n: count() }).from(schema.users);
  const [a] = await handle.db.select({ n: count() }).from(schema.accounts);
  const [g] = await handle.db.select({ n: count() }).from(schema.clusterAccess);
  const [s] = await handle.db.select({ n: count() }).from(schema.sessions);
  return { users: u!.n, accounts: a!.n, grants: g!.n, sessions: s!.n };
}

const userByEmail = async (email: string) => (await handle.db.select().from(schema.users).where(eq(schema.users.email, email)))[0];
const grantsOf = (userId: string) => handle.db.select().from(schema.clusterAccess).where(eq(schema.clusterAccess.userId, userId));
const auditOf = (userId: string) =>
  handle.db
    .select({ action: schema.auditEvents.action, details: schema.auditEvents.details })
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.objectId, userId))
    .orderBy(schema.auditEvents.id);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-oidc-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  ordersId = (await insertClusterWithCa(handle.db, "orders-prod")).cluster.id;
  await insertClusterWithCa(handle.db, "billing-prod");
  idp = await startOidcProvider({ redirectUris: [CALLBACK], users });
});
afterAll(async () => {
  await idp?.close();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("single sign-on through a real OpenID Provider", () => {
  it("creates a pki-admins member as admin on first sign-in, and finds the same user the next time", async () => {
    const { result } = await signIn(idp, "ada");
    const { user, next } = await result;
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada Admin", role: "admin" });
    expect(next).toBe("/device?code=ABCD");
    const again = await (await signIn(idp, "ada")).result;
    expect(again.user.id).toBe(user.id);
    const accounts = await handle.db.select().from(schema.accounts).where(eq(schema.accounts.userId, user.id));
    expect(accounts.map((a) => [a.providerId, a.accountId, a.password])).toEqual([["oidc", "ada", null]]);
    expect((await auditOf(user.id)).map((e) => e.action)).toEqual(["user.create"]);
  });

  it("makes an orders-devs member a developer on orders-prod with exactly its two database users", async () => {
    const { user } = await (await signIn(idp, "dev")).result;
    expect(user.role).toBe("developer");
    expect((await grantsOf(user.id)).map((g) => [g.clusterId, [...g.databaseUsers].sort()])).toEqual([[ordersId, ["app_rw", "reporting"]]]);
  });

  it("refuses someone in no mapped group with the reason, and creates nothing", async () => {
    const before = await counts();
    await expect((await signIn(idp, "eve")).result).rejects.toThrow(/eve@example\.com is in no group that grants access.*marketing/);
    expect(await counts()).toEqual(before);
    expect(await userByEmail("eve@example.com")).toBeUndefined();
  });

  it("follows the provider: a group removed there takes the role and the grants away at the next sign-in, audited", async () => {
    const first = (await (await signIn(idp, "carol")).result).user;
    expect(first.role).toBe("auditor");
    expect(await grantsOf(first.id)).toHaveLength(1);

    idp.setGroups("carol", ["orders-devs"]);
    expect((await (await signIn(idp, "carol")).result).user.role).toBe("developer");

    idp.setGroups("carol", ["orders-devs"]);
    const mapped = groupMap["orders-devs"]!;
    groupMap["orders-devs"] = { role: "developer", clusters: { "orders-prod": ["reporting"] } };
    try {
      await (
        await signIn(idp, "carol")
      ).result;
    } finally {
      groupMap["orders-devs"] = mapped;
    }
    expect((await grantsOf(first.id)).map((g) => g.databaseUsers)).toEqual([["reporting"]]);

    idp.setGroups("carol", []);
    await expect((await signIn(idp, "carol")).result).rejects.toThrow(/carol@example\.com is in no group.*none/);
    expect(await grantsOf(first.id)).toEqual([]);
    const trail = await auditOf(first.id);
    expect(trail.map((e) => e.action)).toEqual([
      "user.create",
      "user.grant_cluster_access",
      "user.update_role",
      "user.grant_cluster_access",
      "user.revoke_cluster_access",
    ]);
    expect(trail[2]!.details).toMatchObject({ from: "auditor", to: "developer", source: "oidc" });
  });

  it("links an account made before single sign-on by its email, and its role then follows the provider", async () => {
    await handle.db.insert(schema.users).values({ id: "root-1", email: "root@example.com", name: "Root", role: "admin" });
    const { user } = await (await signIn(idp, "root")).result;
    expect(user).toMatchObject({ id: "root-1", role: "developer" });
    expect((await auditOf("root-1")).map((e) => e.action)).toEqual(["user.link_account", "user.update_role", "user.grant_cluster_access"]);
  });

  it("refuses an email address the provider has not verified: it cannot take over the account that holds it", async () => {
    const before = await counts();
    await expect((await signIn(idp, "claimer")).result).rejects.toThrow(/has not verified the email address root@example\.com/);
    expect(await counts()).toEqual(before);
  });

  it("keeps a disabled user out whatever the provider says", async () => {
    const { user } = await (await signIn(idp, "gone")).result;
    await handle.db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user.id));
    await expect((await signIn(idp, "gone")).result).rejects.toThrow(/gone@example\.com is disabled here/);
  });

  it("refuses a replayed state: the callback works once", async () => {
    const { callbackUrl, state, settings, result } = await signIn(idp, "dev");
    await result;
    const before = await counts();
    await expect(completeOidcSignIn(handle.db, actor, settings, { callbackUrl, browserState: state })).rejects.toThrow(
      /unknown, expired or already used/,
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses a callback whose state is not the one this browser started with", async () => {
    const { callbackUrl, settings } = await signIn(idp, "dev");
    const other = await startOidcSignIn(handle.db, settings, { appOrigin: APP, next: "/" });
    await expect(completeOidcSignIn(handle.db, actor, settings, { callbackUrl, browserState: other.state })).rejects.toThrow(
      /does not match the sign-in this browser started/,
    );
  });
});

describe("a provider that fails a check is refused, and nothing is created", () => {
  const cases: [string, Misbehaviour, RegExp][] = [
    ["wrong issuer", { wrongIssuer: true }, /discovery.*issuer/i],
    ["wrong audience", { audience: "other-client" }, /aud/],
    ["expired ID token", { expiredIdTokens: true }, /exp/],
    ["bad signature", { foreignJwks: true }, /signature/i],
    ["missing nonce", { dropNonce: true }, /nonce/],
  ];
  it.each(cases)("%s", async (_name, misbehave, reason) => {
    const provider = await startOidcProvider({
      redirectUris: [CALLBACK],
      users: [{ login: "mallory", email: "mallory@example.com", name: "Mallory", groups: ["pki-admins"] }],
      misbehave,
    });
    try {
      const before = await counts();
      await expect((async () => (await signIn(provider, "mallory")).result)()).rejects.toThrow(reason);
      expect(await counts()).toEqual(before);
      expect(await userByEmail("mallory@example.com")).toBeUndefined();
    } finally {
      await provider.close();
    }
  });
});
