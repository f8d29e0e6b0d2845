import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A server leaf the way the seed scripts make one: three openssl processes per certificate
 * (key, CSR, signing with a SAN extfile). Returns a function that issues one leaf.
 */
export function opensslLeafIssuer(keyType: "ec" | "rsa"): { issue: () => void; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-ossl-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  run(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "30",
    "-subj",
    "/CN=Bench CA",
  );
  fs.writeFileSync(
    path.join(dir, "san.cnf"),
    "subjectAltName=DNS:db1.example.internal,DNS:pg-rw.example.internal,IP:10.0.0.5\nextendedKeyUsage=serverAuth\n",
  );
  return {
    issue: () => {
      if (keyType === "ec") run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key");
      else run("genrsa", "-out", "leaf.key", "2048");
      run("req", "-new", "-key", "leaf.key", "-subj", "/CN=db1.example.internal", "-out", "leaf.csr");
      run(
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "397",
        "-sha256",
        "-extfile",
        "san.cnf",
        "-out",
        "leaf.pem",
      );
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
