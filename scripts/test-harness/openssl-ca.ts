// An `openssl ca` directory with a given revoked list: the reference the seed scripts use,
// for parsing tests and the CRL benchmark.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type OpensslCa = { dir: string; caCert: string; gencrl: () => { ms: number; crlPath: string } };

const pad = (n: number) => String(n).padStart(2, "0");
const opensslTime = (d: Date) =>
  `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;

export function makeOpensslCa(
  entries: { serialHex: string; revokedAt: Date; reason?: string }[],
  keyArgs = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
): OpensslCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-ossl-ca-"));
  const run = (...args: string[]) => {
    const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  run("req", "-x509", ...keyArgs, "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=OpenSSL Reference CA");
  const expiry = opensslTime(new Date(Date.now() + 86_400_000 * 30));
  const lines = entries.map(
    (e) => `R\t${expiry}\t${opensslTime(e.revokedAt)}${e.reason ? `,${e.reason}` : ""}\t${e.serialHex}\tunknown\t/CN=x`,
  );
  fs.writeFileSync(path.join(dir, "index.txt"), lines.length ? `${lines.join("\n")}\n` : "");
  fs.writeFileSync(path.join(dir, "crlnumber"), "1000\n");
  fs.writeFileSync(
    path.join(dir, "openssl.cnf"),
    `[ ca ]\ndefault_ca = ref\n[ ref ]\ndir = ${dir}\ndatabase = $dir/index.txt\ncrlnumber = $dir/crlnumber\ncertificate = $dir/ca.pem\nprivate_key = $dir/ca.key\ndefault_md = sha256\ndefault_crl_days = 7\ncrl_extensions = crl_ext\n[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n`,
  );
  return {
    dir,
    caCert: fs.readFileSync(path.join(dir, "ca.pem"), "utf8"),
    gencrl: () => {
      const crlPath = path.join(dir, "crl.pem");
      const started = performance.now();
      run("ca", "-gencrl", "-config", "openssl.cnf", "-out", crlPath);
      return { ms: performance.now() - started, crlPath };
    },
  };
}
