import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishServerChannel, readLiveServerChannel } from "./server-channel";

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-channel-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("readLiveServerChannel", () => {
  it("returns the channel of a running server", () => {
    publishServerChannel(dataDir, 4321);
    expect(readLiveServerChannel(dataDir)).toMatchObject({ port: 4321, pid: process.pid });
  });

  it("ignores the server.json a killed server left behind", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!; // exited: its pid names no process
    publishServerChannel(dataDir, 4321);
    fs.writeFileSync(path.join(dataDir, "server.json"), JSON.stringify({ port: 4321, pid: gone }));
    expect(readLiveServerChannel(dataDir)).toBeNull();
  });

  it("returns null when no server announced itself", () => {
    expect(readLiveServerChannel(dataDir)).toBeNull();
  });
});
