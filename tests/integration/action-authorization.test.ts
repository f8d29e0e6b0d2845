import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createBackup } from "@/lib/services/backup/create-backup";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { completeCaRequest, updateExternalCrl } from "@/lib/services/clusters/external-ca";
import { makeExternalRoot, type ExternalRoot } from "@/tests/support/external-root";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { removeNode } from "@/lib/services/nodes/remove-node";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";
import { disconnectAgent } from "@/lib/services/agents/disconnect-agent";
import { enrollAgent } from "@/lib/services/agents/enroll-agent";
import { createCsr } from "@/lib/pki";
import { runJobNow } from "@/lib/jobs/job-status";
import { checkVerifyFull } from "@/lib/services/nodes/check-verify-full";
import { probeNode } from "@/lib/services/nodes/probe-node";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";
import { createWebhook, deleteWebhook } from "@/lib/services/webhooks/manage-webhooks";
import { cancelRotation, createRotationCa } from "@/lib/services/rotation/rotation-steps";
import { archiveCluster, updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { restoreBackup } from "@/lib/services/backup/restore-backup";
import { listAuditEvents } from "@/lib/services/audit/list-audit-events";
import { rotateMasterKey } from "@/lib/services/secrets/rotate-master-key";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { listApiTokens } from "@/lib/services/tokens/list-api-tokens";
import { revokeApiToken } from "@/lib/services/tokens/revoke-api-token";
import { createUser } from "@/lib/services/users/create-user";
import { listUsers } from "@/lib/services/users/list-users";
import { grantClusterAccess, revokeClusterAccess } from "@/lib/services/users/set-cluster-access";
import { updateUser } from "@/lib/services/users/update-user";
import { decideDeviceAuthorization } from "@/lib/services/devices/decide-device-authorization";
import { exchangeDeviceCode } from "@/lib/services/devices/exchange-device-code";
import { listDevices } from "@/lib/services/devices/list-devices";
import { requestDeviceCode } from "@/lib/services/devices/request-device-code";
import { revokeDevice } from "@/lib/services/devices/revoke-device";

// Role × scope: sessions (no scope) and API tokens scoped to cluster-a ("Here") or to cluster-b
// ("Elsewhere"); the services are the same for both, so the token rows check them for the REST API too.
const PRINCIPALS = [
  "anonymous",
  "auditor",
  "developerWithout",
  "developerWith",
  "admin",
  "adminHere",
  "adminElsewhere",
  "auditorHere",
  "auditorElsewhere",
  "developerHere",
  "developerElsewhere",
] as const;
type Principal = (typeof PRINCIPALS)[number];
/** Who may not see cluster-a is told it does not exist (no existence leak). */
const HIDDEN_A = {
  anonymous: "NOT_FOUND",
  developerWithout: "NOT_FOUND",
  adminElsewhere: "NOT_FOUND",
  auditorElsewhere: "NOT_FOUND",
  developerElsewhere: "NOT_FOUND",
} as const;
/** Signed-in people only: a token, whatever its role, is no one who can approve or list devices. */
const TOKENS_REFUSED = {
  adminHere: "FORBIDDEN",
  adminElsewhere: "FORBIDDEN",
  auditorHere: "FORBIDDEN",
  auditorElsewhere: "FORBIDDEN",
  developerHere: "FORBIDDEN",
  developerElsewhere: "FORBIDDEN",
} as const;
/** A new `cluster-tls login` waiting for approval: its user code and device code. */
const pendingLogin = () =>
  requestDeviceCode(
    handle.db,
    { client_id: "cluster-tls-cli", device_name: "laptop" },
    { ipAddress: null, userAgent: null },
    "http://localhost",
  );
/** A cluster made during the run: only unscoped admins and auditors can see it. */
const HIDDEN_NEW = {
  ...HIDDEN_A,
  developerWith: "NOT_FOUND",
  adminHere: "NOT_FOUND",
  auditorHere: "NOT_FOUND",
  developerHere: "NOT_FOUND",
} as const;

let handle: DatabaseHandle;
let externalRoot: ExternalRoot;
let dir: string;
const ids = { clusterA: "", clusterB: "", developer: "", token: "" };
const actors = {} as Record<Principal, Actor>;
const key = parseMasterKey(Buffer.alloc(32, 7).toString("base64"), "test");

/**
 * Every server action delegates to one of these services, which owns the permission check.
 * `actions` names the action exports; the first test fails when an action file exports one that
 * is not listed here, so a new action cannot skip the matrix.
 */
type Row = {
  service: string;
  actions: string[];
  allowed: Principal[];
  deniedAs?: Partial<Record<Principal, string>>;
  run: (actor: Actor) => Promise<unknown>;
};
const MATRIX: Row[] = [
  {
    service: "reissueNodeCertificate",
    // Signing a node's CSR is a re-issue with the node's key: same service, same permission.
    actions: ["reissueNodeAction", "signNodeCsrAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `q${Math.random().toString(36).slice(2, 8)}.example.internal`, role: "other" },
      );
      return reissueNodeCertificate(handle.db, actor, { current: key, all: [key], source: "test" }, node.id);
    },
  },
  {
    service: "bulkReissueNodes",
    actions: ["reissueAllNodesAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: (actor) => bulkReissueNodes(handle.db, actor, { current: key, all: [key], source: "test" }, "cluster-a"),
  },
  {
    service: "revokeCertificate",
    actions: ["revokeCertificateAction"],
    allowed: ["admin", "adminHere"],
    // Runs while the developer still holds the grant (the revokeClusterAccess row removes it).
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { certificate } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `r${Math.random().toString(36).slice(2, 8)}.example.internal`, role: "other" },
      );
      return revokeCertificate(handle.db, actor, { current: key, all: [key], source: "test" }, certificate.serialHex, "superseded");
    },
  },
  {
    service: "removeNode",
    actions: ["removeNodeAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `d${Math.random().toString(36).slice(2, 8)}.example.internal`, role: "other" },
      );
      return removeNode(handle.db, actor, { current: key, all: [key], source: "test" }, node.id);
    },
  },
  {
    service: "createEnrollmentCode",
    actions: ["connectAgentAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `e${Math.random().toString(36).slice(2, 8)}.example.internal`, role: "other" },
      );
      return createEnrollmentCode(handle.db, actor, node.id);
    },
  },
  {
    service: "disconnectAgent",
    actions: ["disconnectAgentAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const hostname = `g${Math.random().toString(36).slice(2, 8)}.example.internal`;
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname, role: "other" },
      );
      const { code } = await createEnrollmentCode(handle.db, { type: "cli", label: "setup" }, node.id);
      await enrollAgent(
        handle.db,
        { current: key, all: [key], source: "test" },
        { code, csrPem: (await createCsr({ subject: { CN: hostname }, dnsNames: [hostname] })).csrPem },
        { ipAddress: null, userAgent: null },
      );
      return disconnectAgent(handle.db, actor, node.id);
    },
  },
  {
    service: "addNode",
    actions: ["addNodeAction"],
    allowed: ["admin", "adminHere"],
    // Whoever may not see the cluster is told it does not exist (no existence leak).
    deniedAs: HIDDEN_A,
    run: (actor) =>
      addNode(handle.db, actor, { current: key, all: [key], source: "test" }, "cluster-a", {
        hostname: `n${Math.random().toString(36).slice(2, 8)}.example.internal`,
        role: "replica",
      }),
  },
  {
    service: "updateClusterSettings",
    actions: ["updateClusterSettingsAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: (actor) => updateClusterSettings(handle.db, actor, "cluster-a", { description: `changed ${Math.random()}` }),
  },
  {
    service: "completeCaRequest",
    actions: ["completeCaRequestAction"],
    allowed: ["admin"],
    // A fresh cluster waiting for its intermediate each run: nobody but admins can see it.
    deniedAs: HIDDEN_NEW,
    run: async (actor) => {
      const name = `pending-${Math.random().toString(36).slice(2, 8)}`;
      const { caCsrPem } = await createCluster(handle.db, { type: "cli", label: "setup" }, key, { name, ca: "csr" });
      return completeCaRequest(handle.db, actor, { current: key, all: [key], source: "test" }, name, {
        certificatePem: externalRoot.signIntermediate(caCsrPem!),
        chainPem: externalRoot.certificatePem,
        crlPem: externalRoot.crlPem(),
      });
    },
  },
  {
    service: "updateExternalCrl",
    actions: ["updateExternalCrlAction"],
    allowed: ["admin"],
    deniedAs: HIDDEN_NEW,
    run: async (actor) => {
      const name = `external-${Math.random().toString(36).slice(2, 8)}`;
      const { caCsrPem } = await createCluster(handle.db, { type: "cli", label: "setup" }, key, { name, ca: "csr" });
      await completeCaRequest(handle.db, { type: "cli", label: "setup" }, { current: key, all: [key], source: "test" }, name, {
        certificatePem: externalRoot.signIntermediate(caCsrPem!),
        chainPem: externalRoot.certificatePem,
        crlPem: externalRoot.crlPem(),
      });
      return updateExternalCrl(handle.db, actor, name, externalRoot.crlPem());
    },
  },
  {
    service: "archiveCluster",
    actions: ["archiveClusterAction"],
    allowed: ["admin"],
    // A fresh cluster each run: nobody but admins can see it.
    deniedAs: HIDDEN_NEW,
    run: async (actor) => {
      const name = `old-${Math.random().toString(36).slice(2, 8)}`;
      await createCluster(handle.db, { type: "cli", label: "setup" }, key, { name });
      return archiveCluster(handle.db, actor, name, name);
    },
  },
  {
    service: "checkVerifyFull",
    actions: ["checkVerifyFullAction"],
    // Read-only: no connection leaves the server (the host is only matched against the SANs) and
    // nothing is written, so whoever may see the cluster may check.
    allowed: ["auditor", "developerWith", "admin", "adminHere", "auditorHere", "developerHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `v${Math.random().toString(36).slice(2, 8)}.example.internal`, role: "other" },
      );
      return checkVerifyFull(handle.db, actor, node.id, node.hostname);
    },
  },
  {
    service: "createRotationCa + cancelRotation",
    // Every wizard step checks cluster:manage the same way (rotation-steps' manageableCluster).
    actions: [
      "createRotationCaAction",
      "publishRotationCaAction",
      "startRotationReissueAction",
      "retireOldCaAction",
      "cancelRotationAction",
    ],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const context = { db: handle.db, actor, keyRing: { current: key, all: [key], source: "test" }, clusterRef: "cluster-a" };
      await createRotationCa(context);
      return cancelRotation(context); // leaves cluster-a as it was for the other rows
    },
  },
  {
    service: "createWebhook + deleteWebhook",
    actions: ["createWebhookAction", "deleteWebhookAction"],
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const webhook = await createWebhook(handle.db, actor, key, "cluster-a", {
        url: "https://hooks.example.com/x",
        events: ["certificate.issued"],
      });
      return deleteWebhook(handle.db, actor, webhook.id);
    },
  },
  {
    service: "getRotationStatus",
    actions: ["rotationStatusAction"],
    allowed: ["auditor", "developerWith", "admin", "adminHere", "auditorHere", "developerHere"],
    deniedAs: HIDDEN_A,
    run: (actor) => getRotationStatus(handle.db, actor, "cluster-a"),
  },
  {
    service: "probeNode",
    actions: ["probeNodeAction"],
    // Admins only: it dials the node from this server and writes the verdict on the node.
    allowed: ["admin", "adminHere"],
    deniedAs: HIDDEN_A,
    run: async (actor) => {
      const { node } = await addNode(
        handle.db,
        { type: "cli", label: "setup" },
        { current: key, all: [key], source: "test" },
        "cluster-a",
        { hostname: `p${Math.random().toString(36).slice(2, 8)}.invalid`, role: "other" },
      );
      return probeNode(handle.db, actor, node.id);
    },
  },
  {
    service: "runJobNow",
    actions: ["runJobNowAction"],
    // Jobs span every cluster: instance-wide, so no cluster-scoped token either.
    allowed: ["admin"],
    run: (actor) => runJobNow(handle.db, actor, { current: key, all: [key], source: "test" }, "crl-refresh"),
  },
  {
    service: "createUser",
    actions: ["createUserAction"],
    allowed: ["admin"],
    run: (actor) =>
      createUser({
        db: handle.db,
        actor,
        input: { email: `u${Math.random()}@example.com`, name: "U", password: "long enough password", role: "auditor" },
        hashPassword: async (p) => `hash:${p.length}`,
      }),
  },
  {
    service: "updateUser",
    actions: ["updateUserAction"],
    allowed: ["admin"],
    run: (actor) => updateUser(handle.db, actor, { userId: ids.developer, role: "developer" }),
  },
  {
    service: "grantClusterAccess",
    actions: ["grantClusterAccessAction"],
    allowed: ["admin"],
    run: (actor) => grantClusterAccess(handle.db, actor, { userId: ids.developer, clusterId: ids.clusterA, databaseUsers: ["app"] }),
  },
  {
    service: "revokeClusterAccess",
    actions: ["revokeClusterAccessAction"],
    allowed: ["admin"],
    run: async (actor) => {
      await grantClusterAccess(handle.db, actors.admin, { userId: ids.developer, clusterId: ids.clusterA, databaseUsers: ["app"] });
      await revokeClusterAccess(handle.db, actor, { userId: ids.developer, clusterId: ids.clusterA });
    },
  },
  {
    service: "createApiToken",
    actions: ["createTokenAction"],
    allowed: ["admin"],
    run: (actor) => createApiToken(handle.db, actor, { name: "t", role: "auditor", clusters: [], days: 1 }),
  },
  {
    service: "revokeApiToken",
    actions: ["revokeTokenAction"],
    allowed: ["admin"],
    run: async (actor) =>
      revokeApiToken(
        handle.db,
        actor,
        (await createApiToken(handle.db, actors.admin, { name: "r", role: "auditor", clusters: [], days: 1 })).record.id,
      ),
  },
  {
    service: "createCluster",
    actions: ["createClusterAction"],
    allowed: ["admin"],
    run: (actor) => createCluster(handle.db, actor, key, { name: `c-${Math.random().toString(36).slice(2, 10)}` }),
  },
  {
    service: "decideDeviceAuthorization",
    actions: ["decideDeviceAction"],
    // Whoever is signed in approves their own laptop's login; what it may reach are their own grants.
    allowed: ["auditor", "developerWithout", "developerWith", "admin"],
    deniedAs: TOKENS_REFUSED,
    run: async (actor) => {
      // The approval names its user (a foreign key): the session users of this matrix exist as rows.
      await handle.db
        .insert(schema.users)
        .values([
          { id: "aud", email: "auditor@example.com", name: "Aud", role: "auditor" },
          { id: "dev-2", email: "dev2@example.com", name: "Dev Two", role: "developer" },
        ])
        .onConflictDoNothing();
      return decideDeviceAuthorization(handle.db, actor, { userCode: (await pendingLogin()).user_code, decision: "approve" });
    },
  },
  {
    service: "revokeDevice",
    actions: ["revokeDeviceAction"],
    // dev@'s login: dev@ and admins may revoke it; another signed-in user is told it does not exist.
    allowed: ["developerWith", "admin"],
    deniedAs: { ...TOKENS_REFUSED, auditor: "NOT_FOUND", developerWithout: "NOT_FOUND" },
    run: async (actor) => {
      const code = await pendingLogin();
      await decideDeviceAuthorization(handle.db, actors.developerWith, { userCode: code.user_code, decision: "approve" });
      const { device_id } = await exchangeDeviceCode(
        handle.db,
        { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: code.device_code, client_id: "cluster-tls-cli" },
        { ipAddress: null, userAgent: null },
      );
      return revokeDevice(handle.db, actor, device_id);
    },
  },
  {
    service: "listDevices",
    actions: [],
    allowed: ["auditor", "developerWithout", "developerWith", "admin"],
    deniedAs: TOKENS_REFUSED,
    run: (actor) => listDevices(handle.db, actor),
  },
  { service: "listUsers", actions: [], allowed: ["admin"], run: (actor) => listUsers(handle.db, actor) },
  { service: "listApiTokens", actions: [], allowed: ["admin"], run: (actor) => listApiTokens(handle.db, actor) },
  { service: "listAuditEvents", actions: [], allowed: ["auditor", "admin"], run: (actor) => listAuditEvents(handle.db, actor, {}) },
  { service: "createBackup", actions: [], allowed: ["admin"], run: (actor) => createBackup(handle.db, actor, key.id) },
  { service: "restoreBackup", actions: [], allowed: [], run: (actor) => restoreBackup(handle.db, actor, "{}", key.id) }, // admin: refused as a damaged file
  { service: "rotateMasterKey", actions: [], allowed: ["admin"], run: (actor) => rotateMasterKey(handle.db, actor, [key], key) },
];
// Actions that run before or without a session-based permission (they authenticate the person).
const SESSION_ACTIONS = ["signInAction", "signOutAction", "setupAction", "changePasswordAction", "startSsoSignInAction"];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-authz-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  externalRoot = makeExternalRoot();
  ids.clusterA = (await createCluster(handle.db, { type: "cli", label: "setup" }, key, { name: "cluster-a" })).id;
  const [dev] = await handle.db
    .insert(schema.users)
    .values({ id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" })
    .returning();
  ids.developer = dev!.id;
  await handle.db.insert(schema.clusterAccess).values({ userId: dev!.id, clusterId: ids.clusterA, databaseUsers: ["app"] });
  await handle.db.insert(schema.users).values({ id: "admin-1", email: "admin@example.com", name: "Admin", role: "admin" });
  actors.anonymous = { type: "anonymous", label: "nobody" };
  actors.auditor = { type: "user", id: "aud", label: "auditor@example.com", role: "auditor" };
  actors.developerWithout = { type: "user", id: "dev-2", label: "dev2@example.com", role: "developer" };
  actors.developerWith = { type: "user", id: ids.developer, label: "dev@example.com", role: "developer" };
  actors.admin = { type: "user", id: "admin-1", label: "admin@example.com", role: "admin" };
  ids.clusterB = (await createCluster(handle.db, { type: "cli", label: "setup" }, key, { name: "cluster-b" })).id;
  await handle.db.insert(schema.clusterAccess).values({ userId: dev!.id, clusterId: ids.clusterB, databaseUsers: ["app"] });
  // Real token rows: what a token issues names it (certificates.issued_by_token_id).
  const token = async (name: string, role: "admin" | "auditor" | "developer", clusterId: string): Promise<Actor> => {
    // A developer token acts for dev-1, granted cluster-a and cluster-b.
    const userId = role === "developer" ? ids.developer : null;
    const [row] = await handle.db
      .insert(schema.apiTokens)
      .values({ name, prefix: name.slice(0, 8), tokenHash: name, role, userId })
      .returning();
    return { type: "token", id: row!.id, label: `token ${name}`, role, clusterIds: [clusterId], userId };
  };
  actors.adminHere = await token("admin-a", "admin", ids.clusterA);
  actors.adminElsewhere = await token("admin-b", "admin", ids.clusterB);
  actors.auditorHere = await token("auditor-a", "auditor", ids.clusterA);
  actors.auditorElsewhere = await token("auditor-b", "auditor", ids.clusterB);
  actors.developerHere = await token("dev-a", "developer", ids.clusterA);
  actors.developerElsewhere = await token("dev-b", "developer", ids.clusterB);
});

afterAll(async () => {
  externalRoot?.dispose();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("server action authorization", () => {
  it("covers every exported server action", async () => {
    const actionDir = path.join(process.cwd(), "lib/actions");
    const covered = new Set([...MATRIX.flatMap((m) => m.actions), ...SESSION_ACTIONS]);
    for (const file of fs.readdirSync(actionDir).filter((f) => f.endsWith(".ts"))) {
      const source = fs.readFileSync(path.join(actionDir, file), "utf8");
      if (!source.startsWith('"use server"')) continue;
      for (const [, name] of source.matchAll(/export (?:const|async function) (\w+)/g)) {
        expect(covered, `${file} exports ${name}, which has no row in MATRIX`).toContain(name);
      }
    }
  });

  const cases = MATRIX.flatMap((m) => PRINCIPALS.map((principal) => ({ ...m, principal, allowed: m.allowed.includes(principal) })));
  it.each(cases)("$service as $principal → allowed: $allowed", async ({ run, principal, allowed, deniedAs }) => {
    const outcome = await run(actors[principal]).then(
      () => "ok",
      (error: { code?: string }) => error.code ?? "error",
    );
    if (allowed) expect(outcome).toBe("ok");
    else
      expect(outcome).toBe(
        deniedAs?.[principal] ?? (principal === "anonymous" ? "UNAUTHENTICATED" : principal === "admin" ? "UNPROCESSABLE" : "FORBIDDEN"),
      );
  });
});
