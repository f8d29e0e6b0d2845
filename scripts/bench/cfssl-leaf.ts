import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function hasCfssl(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v cfssl"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** cfssl (Debian golang-cfssl) issuing the same server leaf with a new key: one process per leaf. */
export function cfsslLeafIssuer(keyAlgo: "ecdsa" | "rsa"): { issue: () => void; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-cfssl-"));
  fs.writeFileSync(path.join(dir, "ca-csr.json"), JSON.stringify({ CN: "Bench CA", key: { algo: "ecdsa", size: 256 } }));
  const ca = JSON.parse(
    execFileSync("cfssl", ["gencert", "-initca", "ca-csr.json"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as { cert: string; key: string };
  fs.writeFileSync(path.join(dir, "ca.pem"), ca.cert);
  fs.writeFileSync(path.join(dir, "ca-key.pem"), ca.key);
  const leaf = {
    CN: "db1.example.internal",
    hosts: ["db1.example.internal", "pg-rw.example.internal", "10.0.0.5"],
    key: keyAlgo === "ecdsa" ? { algo: "ecdsa", size: 256 } : { algo: "rsa", size: 2048 },
  };
  fs.writeFileSync(path.join(dir, "leaf.json"), JSON.stringify(leaf));
  return {
    issue: () => execFileSync("cfssl", ["gencert", "-ca", "ca.pem", "-ca-key", "ca-key.pem", "leaf.json"], { cwd: dir, stdio: "ignore" }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
