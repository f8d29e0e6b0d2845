import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitKeyFile, keyFilesOf, prepareNextKeyFile, readNextKeyFile } from "./key-files";

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-keyfiles-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("master.key.next", () => {
  it("is prepared once (0600): preparing again keeps the key other instances may have copied", () => {
    expect(readNextKeyFile(dataDir)).toBeNull();
    const first = prepareNextKeyFile(dataDir);
    expect(first.created).toBe(true);
    expect(fs.statSync(keyFilesOf(dataDir).next).mode & 0o777).toBe(0o600);
    const again = prepareNextKeyFile(dataDir);
    expect(again).toEqual({ key: first.key, created: false });
  });

  it("replaces master.key when committed", () => {
    const { key } = prepareNextKeyFile(dataDir);
    fs.writeFileSync(keyFilesOf(dataDir).current, "old\n");
    commitKeyFile(dataDir, key);
    expect(readNextKeyFile(dataDir)).toBeNull();
    expect(fs.readFileSync(keyFilesOf(dataDir).current, "utf8").trim()).toBe(key.bytes.toString("base64"));
    commitKeyFile(dataDir, key); // done already: fine
    const other = prepareNextKeyFile(dataDir).key;
    fs.rmSync(keyFilesOf(dataDir).next);
    expect(() => commitKeyFile(dataDir, other)).toThrow(/ENOENT/);
  });
});
