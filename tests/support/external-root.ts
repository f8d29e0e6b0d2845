import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { makeOpensslCa } from "@/scripts/test-harness/openssl-ca";

export type ExternalRoot = {
  certificatePem: string;
  /** Signs a CSR as an intermediate CA (CA:true, pathlen 0), the way the root's operators would. */
  signIntermediate: (csrPem: string, days?: number) => string;
  /** A fresh CRL of the root (empty revoked list). */
  crlPem: () => string;
  dispose: () => void;
};

/** An organisation's root CA played by the openssl CLI (an `openssl ca` directory). */
export function makeExternalRoot(): ExternalRoot {
  const ca = makeOpensslCa([]);
  fs.writeFileSync(
    path.join(ca.dir, "intermediate.ext"),
    "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
  );
  let count = 0;
  return {
    certificatePem: ca.caCert,
    signIntermediate: (csrPem, days = 20) => {
      const name = `request-${++count}`;
      fs.writeFileSync(path.join(ca.dir, `${name}.csr`), csrPem);
      const args = [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        String(days),
        "-extfile",
        "intermediate.ext",
        "-out",
        `${name}.pem`,
      ];
      const result = spawnSync("openssl", args, { cwd: ca.dir, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`openssl x509 -req: ${result.stderr}`);
      return fs.readFileSync(path.join(ca.dir, `${name}.pem`), "utf8");
    },
    crlPem: () => fs.readFileSync(ca.gencrl().crlPath, "utf8"),
    dispose: () => fs.rmSync(ca.dir, { recursive: true, force: true }),
  };
}
