// Test helper: run the real OpenSSL CLI on artifacts lib/pki produced.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type OpensslResult = { status: number | null; out: string };

export class OpensslWorkspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-pki-"));

  write(name: string, contents: string | Uint8Array): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, contents, { mode: 0o600 });
    return file;
  }

  run(...args: string[]): OpensslResult {
    const result = spawnSync("openssl", args, { cwd: this.dir, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  }

  /** `openssl x509 -text` of a PEM certificate. */
  text(pem: string): string {
    return this.run("x509", "-in", this.write(`cert-${Math.random()}.pem`, pem), "-noout", "-text").out;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
