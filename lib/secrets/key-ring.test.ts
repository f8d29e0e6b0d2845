import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/errors";
import { loadKeyRing } from "./key-ring";
import { parseMasterKey } from "./master-key";

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-keyring-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("loadKeyRing", () => {
  it("creates data/master.key with mode 0600 on first start and reuses it afterwards", () => {
    const first = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: null });
    const keyFile = path.join(dataDir, "master.key");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.source).toBe(keyFile);
    const second = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: first.current.id });
    expect(second.current.id).toBe(first.current.id);
  });

  it("prefers CLUSTER_TLS_MASTER_KEY and writes no file then", () => {
    const base64 = randomBytes(32).toString("base64");
    const ring = loadKeyRing({ dataDir, envKeyBase64: base64, keyIdInUse: null });
    expect(ring.current.id).toBe(parseMasterKey(base64, "x").id);
    expect(ring.source).toBe("CLUSTER_TLS_MASTER_KEY");
    expect(fs.existsSync(path.join(dataDir, "master.key"))).toBe(false);
  });

  it("refuses to invent a new key when the database already holds encrypted keys", () => {
    expect(() => loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: "00112233aabbccdd" })).toThrow(
      /master key missing: .*master\.key does not exist .* under master key 00112233aabbccdd/,
    );
    expect(fs.existsSync(path.join(dataDir, "master.key"))).toBe(false);
  });

  it("refuses a key that is not the one the data was encrypted with", () => {
    const base64 = randomBytes(32).toString("base64");
    expect(() => loadKeyRing({ dataDir, envKeyBase64: base64, keyIdInUse: "00112233aabbccdd" })).toThrow(ConfigError);
    expect(() => loadKeyRing({ dataDir, envKeyBase64: base64, keyIdInUse: "00112233aabbccdd" })).toThrow(/wrong master key/);
  });

  it("reports a malformed key file by its path", () => {
    fs.writeFileSync(path.join(dataDir, "master.key"), "short\n");
    expect(() => loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: null })).toThrow(/master\.key decodes to 3 bytes/);
  });
});
