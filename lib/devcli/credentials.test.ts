import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deleteCredentials, readCredentials, writeCredentials } from "./credentials";
import { configDir, credentialsPath, serviceFilePath } from "./paths";

let home = "";
const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PGSERVICEFILE: process.env.PGSERVICEFILE };
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-creds-"));
  process.env.HOME = home;
  delete process.env.XDG_CONFIG_HOME;
  delete process.env.PGSERVICEFILE;
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(home, { recursive: true, force: true });
});

const sample = { server: "https://pki.example.com", access_token: "ctlsd_secret", device_id: "d1", expiresAt: "2026-02-01T00:00:00.000Z" };

describe("device credentials file", () => {
  it("lives in ~/.config/cluster-tls, file 0600 in a 0700 directory, even under a permissive umask", () => {
    const previous = process.umask(0o000);
    try {
      writeCredentials(sample);
    } finally {
      process.umask(previous);
    }
    expect(credentialsPath()).toBe(path.join(home, ".config", "cluster-tls", "credentials.json"));
    expect(fs.statSync(credentialsPath()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(configDir()).mode & 0o777).toBe(0o700);
    expect(readCredentials()).toEqual(sample);
    expect(fs.readdirSync(configDir())).toEqual(["credentials.json"]); // no temporary file left
  });

  it("tightens a directory that already exists with looser permissions", () => {
    fs.mkdirSync(path.join(home, ".config", "cluster-tls"), { recursive: true, mode: 0o755 });
    writeCredentials(sample);
    expect(fs.statSync(configDir()).mode & 0o777).toBe(0o700);
  });

  it("honours XDG_CONFIG_HOME and PGSERVICEFILE", () => {
    process.env.XDG_CONFIG_HOME = path.join(home, "xdg");
    process.env.PGSERVICEFILE = path.join(home, "services.conf");
    writeCredentials(sample);
    expect(fs.existsSync(path.join(home, "xdg", "cluster-tls", "credentials.json"))).toBe(true);
    expect(serviceFilePath()).toBe(path.join(home, "services.conf"));
  });

  it("delete removes it; reading then says not logged in (null)", () => {
    writeCredentials(sample);
    expect(deleteCredentials()).toBe(true);
    expect(readCredentials()).toBeNull();
  });
});
