import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/actions/action-result";

// The actions open the database through getRuntime(): a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-forms-fuzz-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
process.env.CLUSTER_TLS_JOBS = "off";
delete process.env.DATABASE_URL;

// A signed-in admin without a browser, and no Next.js request to revalidate in.
const ADMIN = {
  type: "user",
  id: "fuzz-admin",
  label: "fuzz@example.com",
  role: "admin",
  email: "fuzz@example.com",
  name: "Fuzz",
} as const;
vi.mock("@/lib/auth/current-user", () => ({ requireSessionUser: async () => ADMIN, getSessionUser: async () => ADMIN }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

/**
 * Property: every form's server action answers any submission with a result — done, or an error
 * naming the problem — never an exception and never the generic "something went wrong" (an
 * unexpected error), over 1,000 generated submissions across the forms. The probe and "run job
 * now" are left out: they dial hosts.
 */
const RUNS = 1_000;
type Action = (previous: null, formData: FormData) => Promise<ActionResult<unknown>>;
const FORMS: Record<string, string[]> = {
  createClusterAction: [
    "name",
    "keyAlgorithm",
    "ca",
    "caCertificatePem",
    "caPrivateKeyPem",
    "sharedDnsNames",
    "allowWildcardNames",
    "permittedNames",
    "serverCertDays",
    "crlDays",
    "organization",
    "dataDirectory",
    "osOwner",
    "hbaAuthMode",
  ],
  updateClusterSettingsAction: [
    "clusterId",
    "description",
    "serverCertDays",
    "clientCertDays",
    "renewBeforeDays",
    "crlDays",
    "sharedDnsNames",
    "allowWildcardNames",
    "permittedNames",
    "dataDirectory",
    "replicationUser",
    "loginCertHours",
    "connectThrough",
    "connectNodeId",
    "connectHost",
    "connectPort",
    "connectDbname",
  ],
  archiveClusterAction: ["clusterId", "confirmName"],
  completeCaRequestAction: ["clusterId", "certificatePem", "chainPem", "crlPem"],
  updateExternalCrlAction: ["clusterId", "crlPem"],
  addNodeAction: ["clusterId", "hostname", "role", "dnsNames", "ipAddresses", "port"],
  reissueNodeAction: ["nodeId", "revokePrevious"],
  signNodeCsrAction: ["nodeId", "csrPem", "days", "revokePrevious"],
  reissueAllNodesAction: ["clusterId"],
  removeNodeAction: ["nodeId"],
  connectAgentAction: ["nodeId"],
  disconnectAgentAction: ["nodeId"],
  checkVerifyFullAction: ["nodeId", "host"],
  revokeCertificateAction: ["serial", "reason"],
  createRotationCaAction: ["clusterId", "keyAlgorithm"],
  publishRotationCaAction: ["clusterId"],
  startRotationReissueAction: ["clusterId"],
  retireOldCaAction: ["clusterId", "confirm", "confirmLaggingNodes"],
  cancelRotationAction: ["clusterId"],
  createTokenAction: ["name", "role", "user", "clusters", "days"],
  revokeTokenAction: ["tokenId"],
  createUserAction: ["email", "name", "role", "password"],
  updateUserAction: ["userId", "role", "disabled", "name"],
  grantClusterAccessAction: ["userId", "clusterId", "databaseUsers"],
  revokeClusterAccessAction: ["userId", "clusterId"],
  createWebhookAction: ["clusterId", "url", "events"],
  deleteWebhookAction: ["webhookId"],
  decideDeviceAction: ["userCode", "decision"],
  revokeDeviceAction: ["deviceId"],
};
const actions: Record<string, Action> = {};
const known: Record<string, string[]> = {
  clusterId: [],
  nodeId: [],
  serial: [],
  tokenId: [],
  userId: [],
  user: [],
  webhookId: [],
  userCode: [],
  deviceId: [],
  connectNodeId: [],
  connectThrough: ["primary", "pgbouncer", "shared"],
  decision: ["approve", "deny"],
};
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { schema, closeDatabase } = await import("@/lib/db");
  closeDb = closeDatabase;
  const { database, keyRing } = await getRuntime();
  const db = database.db;
  await db.insert(schema.users).values({ id: ADMIN.id, email: ADMIN.email, name: ADMIN.name, role: "admin" });
  const cli = { type: "cli", label: "fuzz" } as const;
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  const { createWebhook } = await import("@/lib/services/webhooks/manage-webhooks");
  for (const name of ["forms-a", "forms-b"]) known.clusterId!.push((await createCluster(db, cli, keyRing.current, { name })).id);
  for (const hostname of ["db1.forms.internal", "db2.forms.internal"]) {
    const { node, certificate } = await addNode(db, cli, keyRing, "forms-a", { hostname, role: "primary" });
    known.nodeId!.push(node.id);
    known.serial!.push(certificate.serialHex);
  }
  known.tokenId!.push((await createApiToken(db, cli, { name: "t", role: "auditor", clusters: [], days: 1 })).record.id);
  known.userId!.push(ADMIN.id);
  // A developer with a grant, so a developer token can be created (by id or by email).
  await db.insert(schema.users).values({ id: "fuzz-dev", email: "dev@forms.example", name: "Dev", role: "developer" });
  await db.insert(schema.clusterAccess).values({ userId: "fuzz-dev", clusterId: known.clusterId![0]!, databaseUsers: ["app"] });
  known.user!.push("fuzz-dev", "dev@forms.example", ADMIN.email);
  known.webhookId!.push(
    (await createWebhook(db, cli, keyRing.current, "forms-a", { url: "https://hooks.example.com/x", events: ["certificate.issued"] })).id,
  );
  // Developer logins waiting for approval, and one approved device to revoke.
  const { requestDeviceCode } = await import("@/lib/services/devices/request-device-code");
  const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
  const { exchangeDeviceCode } = await import("@/lib/services/devices/exchange-device-code");
  const info = { ipAddress: null, userAgent: null };
  for (let i = 0; i < 3; i++)
    known.userCode!.push(
      (await requestDeviceCode(db, { client_id: "cluster-tls-cli", device_name: `laptop-${i}` }, info, "http://localhost")).user_code,
    );
  const login = await requestDeviceCode(db, { client_id: "cluster-tls-cli" }, info, "http://localhost");
  await decideDeviceAuthorization(db, ADMIN, { userCode: login.user_code, decision: "approve" });
  known.deviceId!.push(
    (
      await exchangeDeviceCode(
        db,
        { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: login.device_code, client_id: "cluster-tls-cli" },
        info,
      )
    ).device_id,
  );
  known.connectNodeId!.push(...known.nodeId!);
  for (const file of [
    "device-actions",
    "certificate-actions",
    "cluster-actions",
    "node-actions",
    "rotation-actions",
    "token-actions",
    "user-admin-actions",
    "webhook-actions",
  ]) {
    Object.assign(actions, await import(/* @vite-ignore */ path.resolve("lib/actions", `${file}.ts`)));
  }
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const NASTY = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "../../etc",
  "-1",
  "1e309",
  "NaN",
  "on",
  "true",
  "🔐",
  "x".repeat(70_000),
  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
  "primary",
  "ecdsa-p256",
  "app",
  "https://hooks.example.com/y",
  "10.0.0.300",
  "00000000-0000-4000-8000-000000000000",
);
const valueFor = (field: string) =>
  fc.oneof(
    ...(known[field]?.length ? [fc.constantFrom(...known[field]!)] : []),
    NASTY,
    fc.string({ maxLength: 120 }),
    fc.string({ unit: "binary", maxLength: 60 }),
  );

describe(`server actions under ${RUNS} generated form submissions`, () => {
  it("answer every submission with a result that names the problem, never an exception", async () => {
    const submission = fc.constantFrom(...Object.keys(FORMS)).chain((name) =>
      fc.record({
        name: fc.constant(name),
        fields: fc.array(
          fc.tuple(fc.constantFrom(...FORMS[name]!), fc.constant(null)).chain(([field]) => fc.tuple(fc.constant(field), valueFor(field))),
          { maxLength: 8 },
        ),
      }),
    );
    let done = 0;
    await fc.assert(
      fc.asyncProperty(submission, async ({ name, fields }) => {
        const formData = new FormData();
        for (const [field, value] of fields) formData.append(field, value);
        const result = await actions[name]!(null, formData);
        if (!result.ok) {
          expect(result.error.code, `${name} ${JSON.stringify(fields).slice(0, 300)}`).not.toBe("INTERNAL");
          expect(result.error.message.length).toBeGreaterThan(0);
        }
        done++;
      }),
      { numRuns: RUNS },
    );
    expect(done).toBe(RUNS);
  });
});
