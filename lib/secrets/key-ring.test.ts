import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/errors";
import { adoptKey, beginKeyRotation, finishKeyRotation, loadKeyRing } from "./key-ring";
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

describe("loadKeyRing with a master.key.next beside master.key", () => {
  const keyFile = () => path.join(dataDir, "master.key");
  const nextFile = () => `${keyFile()}.next`;
  const write = (file: string) => {
    const base64 = randomBytes(32).toString("base64");
    fs.writeFileSync(file, `${base64}\n`, { mode: 0o600 });
    return parseMasterKey(base64, file);
  };
  const ids = (keys: { id: string }[]) => keys.map((key) => key.id);

  it("a prepared key decrypts but does not encrypt, and stays on disk", () => {
    const [old, next] = [write(keyFile()), write(nextFile())];
    const ring = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: old.id });
    expect(ring.current.id).toBe(old.id);
    expect(ids(ring.all)).toEqual([old.id, next.id]);
    expect(fs.existsSync(nextFile())).toBe(true);
  });

  it("once the rotation to it started, it encrypts; the old key still decrypts (a rotation that stopped half-way)", () => {
    const [old, next] = [write(keyFile()), write(nextFile())];
    const ring = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: next.id, rotations: new Map([[next.id, "started"]]) });
    expect(ring.current.id).toBe(next.id);
    expect(ids(ring.all)).toEqual([next.id, old.id]);
  });

  it("once the rotation to it finished, it replaces master.key", () => {
    write(keyFile());
    const next = write(nextFile());
    const ring = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: next.id, rotations: new Map([[next.id, "finished"]]) });
    expect(ids(ring.all)).toEqual([next.id]);
    expect(fs.existsSync(nextFile())).toBe(false);
    expect(parseMasterKey(fs.readFileSync(keyFile(), "utf8"), "x").id).toBe(next.id);
  });

  it("refuses a malformed master.key.next by its path", () => {
    write(keyFile());
    fs.writeFileSync(nextFile(), "short\n");
    expect(() => loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: null })).toThrow(/master\.key\.next decodes to 3 bytes/);
  });
});

describe("switching keys in place", () => {
  const key = (fill: number) => parseMasterKey(Buffer.alloc(32, fill).toString("base64"), String(fill));

  it("an adopted key joins the array a request may hold; the rotation moves it to the front, the end drops the rest", () => {
    const [old, next] = [key(1), key(2)];
    const ring = { current: old, all: [old], source: "test" };
    const held = ring.all;
    expect(adoptKey(ring, next)).toBe(true);
    expect(adoptKey(ring, next)).toBe(false);
    expect(beginKeyRotation(ring, next).map((k) => k.id)).toEqual([old.id]);
    expect(ring.current.id).toBe(next.id);
    expect(held.map((k) => k.id)).toEqual([next.id, old.id]);
    finishKeyRotation(ring);
    expect(held.map((k) => k.id)).toEqual([next.id]);
  });
});
