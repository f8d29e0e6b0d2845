import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { csrClientBundle } from "@/lib/services/certificates/sign-client-csr";
import { createCluster } from "@/lib/services/clusters/create-cluster";

/** The browser's CSR path sends the form's text as it is: a bad lifetime is a field error, not a PKI failure. */
const key = parseMasterKey(Buffer.alloc(32, 7).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let dir: string;
let handle: DatabaseHandle;
let csrPem: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-client-csr-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  await createCluster(handle.db, admin, key, { name: "csr-days" });
  ({ csrPem } = await createCsr({ subject: { CN: "app" } }));
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("csrClientBundle", () => {
  it.each(["abc", "1.5", "0"])("names days=%s as a field error", async (days) => {
    const refused = csrClientBundle(handle.db, admin, keyRing, "csr-days", { databaseUser: "app", csrPem, days });
    await expect(refused).rejects.toMatchObject({ code: "VALIDATION_FAILED", fieldErrors: { days: [expect.any(String)] } });
    await expect(refused).rejects.toThrow(/^days: /);
  });

  it("signs with the form's days as text, and with none", async () => {
    expect((await csrClientBundle(handle.db, admin, keyRing, "csr-days", { databaseUser: "app", csrPem, days: "30" })).serial).toMatch(
      /^[0-9A-F]+$/,
    );
    expect((await csrClientBundle(handle.db, admin, keyRing, "csr-days", { databaseUser: "app", csrPem, days: "" })).serial).toMatch(
      /^[0-9A-F]+$/,
    );
  });
});
