import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildPkcs12,
  createIntermediateCa,
  createRootCa,
  exportPrivateKeyPkcs8,
  importPrivateKey,
  issueClientCertificate,
  PkiError,
  type KeyAlgorithm,
} from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());
const hasKeytool = spawnSync("sh", ["-c", "command -v keytool"]).status === 0;

describe("PKCS#12 and PKCS#8 for client bundles", () => {
  it.each<[KeyAlgorithm, boolean]>([
    ["ecdsa-p256", true],
    ["rsa-2048", true],
    ["ecdsa-p384", false], // keytool costs ~1 s a run: the two pgJDBC-relevant types get it
    ["ed25519", false],
  ])("a %s client .p12 reads back with openssl pkcs12 (no -legacy), key matching the certificate", async (algorithm, withKeytool) => {
    const root = await createRootCa({ subject: { CN: `P12 Root ${algorithm}` }, keyAlgorithm: algorithm, days: 30, pathLen: 1 });
    const intermediate = await createIntermediateCa({
      issuer: root,
      subject: { CN: `P12 Issuing ${algorithm}` },
      keyAlgorithm: algorithm,
      days: 20,
    });
    const client = await issueClientCertificate({ issuer: intermediate, days: 5, databaseUser: "app", key: { generate: algorithm } });
    const p12 = await buildPkcs12({
      certificatePem: client.certificatePem,
      privateKeyPem: client.privateKeyPem!,
      caCertificatesPem: [intermediate.certificatePem + root.certificatePem],
      password: "s3cret-pw",
    });
    const file = ws.write(`client-${algorithm}.p12`, p12);
    const info = ws.run("pkcs12", "-in", file, "-info", "-passin", "pass:s3cret-pw", "-nodes");
    expect(info.status, info.out).toBe(0);
    expect(info.out).toContain("MAC: sha256, Iteration 2048");
    expect(info.out).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
    expect(info.out).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
    const algorithms = info.out.split("\n").filter((line) => /^(MAC|PKCS7|Shrouded)/.test(line));
    expect(algorithms).toHaveLength(5); // MAC, MAC length, two PKCS7 parts, the key bag
    expect(algorithms.join("\n")).not.toMatch(/RC2|3DES|sha1/i); // what would need -legacy on OpenSSL 3
    expect(info.out).toContain("friendlyName: user");
    expect(info.out.match(/subject=CN = /g)).toHaveLength(3); // leaf, intermediate, root
    expect(info.out).toContain(`subject=CN = P12 Root ${algorithm}`);
    // friendlyName and localKeyId appear on both the key bag and the leaf's cert bag, with one value.
    const keyIds = [...info.out.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1]!.trim());
    expect(keyIds).toHaveLength(2);
    expect(keyIds[0]).toBe(keyIds[1]);
    const sha1 = ws.run("x509", "-in", ws.write(`c-${algorithm}.pem`, client.certificatePem), "-noout", "-fingerprint", "-sha1").out;
    expect(sha1.replace(/.*=|\s|:/g, "")).toBe(keyIds[0]!.replace(/ /g, ""));
    // The key inside is the certificate's key.
    const keyOut = ws.run("pkcs12", "-in", file, "-passin", "pass:s3cret-pw", "-nodes", "-nocerts").out;
    expect(ws.run("pkey", "-in", ws.write(`p12-${algorithm}.key`, keyOut), "-pubout").out).toBe(
      ws.run("x509", "-in", `c-${algorithm}.pem`, "-noout", "-pubkey").out,
    );
    expect(ws.run("pkcs12", "-in", file, "-info", "-passin", "pass:wrong", "-nodes").status).not.toBe(0);
    if (hasKeytool && withKeytool) {
      const keytool = spawnSync("keytool", ["-list", "-storetype", "PKCS12", "-keystore", file, "-storepass", "s3cret-pw"], {
        encoding: "utf8",
      });
      expect(keytool.stdout).toMatch(/^user, .*PrivateKeyEntry/m);
      expect(keytool.stdout).toContain("Your keystore contains 1 entry");
    }
  });

  it("exports PKCS#8 DER (the .pk8 pgJDBC reads) that openssl pkey accepts, and imports it back", async () => {
    const root = await createRootCa({ subject: { CN: "PK8 Root" }, days: 30 });
    const client = await issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    const imported = await importPrivateKey(client.privateKeyPem!);
    const der = await exportPrivateKeyPkcs8(imported.privateKey);
    expect(ws.run("pkey", "-in", ws.write("client.pk8", der), "-inform", "DER", "-noout").status).toBe(0);
    expect(ws.run("pkey", "-in", "client.pk8", "-inform", "DER", "-pubout").out).toBe(
      ws.run("x509", "-in", ws.write("client.crt", client.certificatePem), "-noout", "-pubkey").out,
    );
    expect((await importPrivateKey(der)).algorithm).toBe("ecdsa-p256");
  });

  it("refuses passwords Java cannot use, keys that are not PKCS#8 and a key of another certificate", async () => {
    const root = await createRootCa({ subject: { CN: "Bad P12 Root" }, days: 30 });
    const client = await issueClientCertificate({ issuer: root, days: 5, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    const base = { certificatePem: client.certificatePem, privateKeyPem: client.privateKeyPem! };
    const cases: [Parameters<typeof buildPkcs12>[0], string, RegExp][] = [
      [{ ...base, password: "" }, "PKCS12_INVALID", /printable ASCII and not empty/],
      [{ ...base, password: "pässwörd" }, "PKCS12_INVALID", /printable ASCII/],
      [{ ...base, password: "x".repeat(129) }, "PKCS12_INVALID", /longer than 128/],
      [{ ...base, password: "pw", friendlyName: "" }, "PARAM_INVALID", /friendlyName/],
      [{ ...base, privateKeyPem: client.certificatePem, password: "pw" }, "PEM_INVALID", /expected a PEM PRIVATE KEY, found CERTIFICATE/],
      [{ ...base, privateKeyPem: root.privateKeyPem, password: "pw" }, "KEY_MISMATCH", /does not belong to the certificate "app"/],
      [{ ...base, caCertificatesPem: ["garbage"], password: "pw" }, "PEM_INVALID", /no PEM block/],
    ];
    for (const [params, code, message] of cases) {
      const error = await buildPkcs12(params).catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(PkiError);
      expect((error as PkiError).code, String(message)).toBe(code);
      expect((error as PkiError).message).toMatch(message);
      expect((error as PkiError).message).not.toContain("PRIVATE KEY-----"); // never key material in messages
    }
  });
});
