import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { buildPkcs12, createRootCa, exportPrivateKeyPkcs8, importPrivateKey, issueClientCertificate, PkiError, type KeyAlgorithm } from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());
const hasKeytool = spawnSync("sh", ["-c", "command -v keytool"]).status === 0;

describe("key formats and PKCS#12", () => {
  it.each<KeyAlgorithm>(["ecdsa-p256", "rsa-2048"])("a %s client bundle reads back with openssl pkcs12 (no -legacy) and keytool as alias 'user'", async (algorithm) => {
    const root = await createRootCa({ subject: { CN: `P12 Root ${algorithm}` }, keyAlgorithm: algorithm, days: 30 });
    const client = await issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key: { generate: algorithm } });
    const p12 = await buildPkcs12({ certificatePem: client.certificatePem, privateKeyPem: client.privateKeyPem!, caCertificatesPem: [root.certificatePem], password: "s3cret-pw" });
    const file = ws.write(`client-${algorithm}.p12`, p12);
    const info = ws.run("pkcs12", "-in", file, "-info", "-passin", "pass:s3cret-pw", "-nodes");
    expect(info.status).toBe(0);
    expect(info.out).toContain("MAC: sha256");
    expect(info.out).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
    expect(info.out).toContain("friendlyName: user");
    expect(info.out).toContain("subject=CN = app");
    expect(info.out).toContain(`subject=CN = P12 Root ${algorithm}`);
    expect(ws.run("pkcs12", "-in", file, "-info", "-passin", "pass:wrong", "-nodes").status).not.toBe(0);
    if (hasKeytool) {
      const keytool = spawnSync("keytool", ["-list", "-storetype", "PKCS12", "-keystore", file, "-storepass", "s3cret-pw"], { encoding: "utf8" });
      expect(keytool.stdout).toMatch(/^user, .*PrivateKeyEntry/m);
    }
  });

  it("exports PKCS#8 PEM and DER (the .pk8 pgJDBC reads) that openssl pkey accepts, and imports them back", async () => {
    const root = await createRootCa({ subject: { CN: "PK8 Root" }, days: 30 });
    const client = await issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    const imported = await importPrivateKey(client.privateKeyPem!);
    const der = await exportPrivateKeyPkcs8(imported.privateKey);
    expect(ws.run("pkey", "-in", ws.write("client.pk8", der), "-inform", "DER", "-noout").status).toBe(0);
    expect(ws.run("pkey", "-in", ws.write("client.key", client.privateKeyPem!), "-noout").status).toBe(0);
    expect((await importPrivateKey(der)).algorithm).toBe("ecdsa-p256");
  });

  it("refuses passwords Java cannot use and keys that are not PKCS#8", async () => {
    const root = await createRootCa({ subject: { CN: "Bad P12 Root" }, days: 30 });
    const client = await issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    for (const password of ["", "pässwörd"]) {
      await expect(buildPkcs12({ certificatePem: client.certificatePem, privateKeyPem: client.privateKeyPem!, password })).rejects.toThrow(/printable ASCII/);
    }
    const error = await buildPkcs12({ certificatePem: client.certificatePem, privateKeyPem: client.certificatePem, password: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PkiError);
    await expect(importPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).rejects.toBeInstanceOf(PkiError);
  });
});
