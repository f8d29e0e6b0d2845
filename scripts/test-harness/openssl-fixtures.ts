import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type OpensslPki = { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; dir: string };

/**
 * A CA, a server certificate (localhost + 127.0.0.1) and a client certificate made with the
 * OpenSSL CLI: lets the harness be tested independently of the product's own PKI code.
 */
export function makeOpensslPki(clientCn: string): OpensslPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-ossl-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ecKey = (name: string) => run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
  ecKey("ca.key");
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-subj",
    "/CN=Harness Test CA",
    "-days",
    "2",
    "-out",
    "ca.crt",
    "-addext",
    "basicConstraints=critical,CA:true",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  const leaf = (name: string, cn: string, ext: string) => {
    ecKey(`${name}.key`);
    run("req", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    run(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.crt`,
    );
    fs.chmodSync(path.join(dir, `${name}.key`), 0o600);
  };
  leaf("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("client", clientCn, "extendedKeyUsage=clientAuth\n");
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
  return {
    dir,
    ca: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
  };
}
