import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { fromBase64 } from "./bytes";
import {
  describeSpki,
  exportPrivateKeyPem,
  exportPrivateKeyPkcs8,
  exportPublicKeyPem,
  exportPublicKeySpki,
  fingerprintSha256,
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  KEY_ALGORITHMS,
  keyAlgorithmInfo,
  keyIdentifier,
  PkiError,
  type KeyAlgorithm,
} from "./index";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

const ws = new OpensslWorkspace();
afterAll(() => ws.remove());

const OPENSSL_KEY_TEXT: Record<string, RegExp> = {
  "ecdsa-p256": /Private-Key: \(256 bit\)[\s\S]*NIST CURVE: P-256/,
  "ecdsa-p384": /Private-Key: \(384 bit\)[\s\S]*NIST CURVE: P-384/,
  "rsa-2048": /Private-Key: \(2048 bit, 2 primes\)/,
  ed25519: /ED25519 Private-Key:/,
};

describe("keys", () => {
  it("lists every key algorithm with its metadata; only Ed25519 breaks channel binding", () => {
    expect(KEY_ALGORITHMS.map((a) => a.id)).toEqual(["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519"]);
    expect(KEY_ALGORITHMS.filter((a) => a.breaksChannelBinding).map((a) => a.id)).toEqual(["ed25519"]);
    expect(keyAlgorithmInfo("ed25519").warning).toMatch(/channel binding/);
    expect(keyAlgorithmInfo("rsa-4096")).toMatchObject({ family: "RSA", bits: 4096, slowToGenerate: true });
    expect(() => keyAlgorithmInfo("toString")).toThrow(PkiError);
  });

  it.each<KeyAlgorithm>(["ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"])(
    "%s: PKCS#8 PEM and DER and SPKI that openssl reads, the same key back, SKI as OpenSSL computes it",
    async (algorithm) => {
      const pair = await generateKeyPair({ algorithm });
      expect(pair.algorithm).toBe(algorithm);
      const pem = await exportPrivateKeyPem(pair.privateKey);
      const der = await exportPrivateKeyPkcs8(pair.privateKey);
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PRIVATE KEY-----\n$/);
      const pemFile = ws.write(`${algorithm}.key`, pem);
      const derFile = ws.write(`${algorithm}.pk8`, der);
      expect(ws.run("pkey", "-in", pemFile, "-noout", "-text").out).toMatch(OPENSSL_KEY_TEXT[algorithm]!);
      expect(ws.run("pkey", "-in", derFile, "-inform", "DER", "-noout").status).toBe(0);

      // OpenSSL derives the same public key from our private key as we export.
      const spkiPem = await exportPublicKeyPem(pair.publicKey);
      expect(ws.run("pkey", "-in", pemFile, "-pubout").out).toBe(spkiPem);
      expect(ws.run("pkey", "-pubin", "-in", ws.write(`${algorithm}.pub`, spkiPem), "-noout").status).toBe(0);

      for (const input of [pem, der]) {
        const imported = await importPrivateKey(input);
        expect(imported.algorithm).toBe(algorithm);
        expect(await exportPublicKeySpki(imported.publicKey)).toEqual(await exportPublicKeySpki(pair.publicKey));
      }
      const spki = await importPublicKey(spkiPem);
      expect(spki.algorithm).toBe(algorithm);
      expect((await importPublicKey(spki.spkiDer)).algorithm).toBe(algorithm);

      // RFC 5280 §4.2.1.2 method 1, compared with what `subjectKeyIdentifier=hash` makes OpenSSL write.
      ws.run(
        "req",
        "-new",
        "-x509",
        "-key",
        pemFile,
        "-subj",
        "/CN=ski",
        "-days",
        "1",
        "-addext",
        "subjectKeyIdentifier=hash",
        "-out",
        `${algorithm}-ski.pem`,
      );
      const opensslSki = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(
        ws.run("x509", "-in", `${algorithm}-ski.pem`, "-noout", "-text").out,
      )?.[1];
      const ours = await keyIdentifier(await exportPublicKeySpki(pair.publicKey));
      expect(opensslSki).toBe(Array.from(ours, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":"));
    },
  );

  it("detects algorithm and exact size of keys OpenSSL made, refusing the ones we do not sign with", async () => {
    ws.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "o-rsa.key");
    ws.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "o-p384.key");
    ws.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "o-rsa1024.key");
    ws.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "o-k1.key");
    ws.run("genpkey", "-algorithm", "ED448", "-out", "o-ed448.key");
    const read = (name: string) => fs.readFileSync(`${ws.dir}/${name}`, "utf8");
    expect((await importPrivateKey(read("o-rsa.key"))).algorithm).toBe("rsa-2048");
    expect((await importPrivateKey(read("o-p384.key"))).algorithm).toBe("ecdsa-p384");
    const refusals: [string, string, RegExp][] = [
      ["o-rsa1024.key", "KEY_TOO_WEAK", /RSA 1024/],
      ["o-k1.key", "KEY_UNSUPPORTED", /1\.3\.132\.0\.10/],
      ["o-ed448.key", "KEY_UNSUPPORTED", /1\.3\.101\.113/],
    ];
    for (const [file, code, message] of refusals) {
      const error = await importPrivateKey(read(file)).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(PkiError);
      expect((error as PkiError).code, file).toBe(code);
      expect((error as PkiError).message).toMatch(message);
    }
    // Public halves: the description names what the key is, so a refusal can say so.
    for (const [file, name] of [
      ["o-rsa1024.key", "RSA 1024"],
      ["o-k1.key", "EC curve secp256k1"],
      ["o-ed448.key", "Ed448"],
    ] as const) {
      const spkiPem = ws.run("pkey", "-in", file, "-pubout").out;
      const spkiDer = fromBase64(spkiPem.replace(/-----[^-]+-----|\s/g, ""));
      expect(describeSpki(spkiDer)).toMatchObject({ algorithm: null, name });
      await expect(importPublicKey(spkiPem)).rejects.toBeInstanceOf(PkiError);
    }
    // A traditional "BEGIN RSA PRIVATE KEY" gets a hint, not just "wrong label".
    ws.run("pkey", "-in", "o-rsa.key", "-traditional", "-out", "trad.key");
    await expect(importPrivateKey(read("trad.key"))).rejects.toThrow(
      /found RSA PRIVATE KEY \(a traditional OpenSSL key: convert with `openssl pkcs8 -topk8 -nocrypt`\)/,
    );
  });

  it("fingerprints as plain hex and as openssl's colon form", async () => {
    const fp = await fingerprintSha256(new TextEncoder().encode("abc"));
    expect(fp.hex).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(fp.colon).toBe("BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
  });

  it("defaults to P-256 and refuses an algorithm it does not know", async () => {
    expect((await generateKeyPair()).algorithm).toBe("ecdsa-p256");
    expect((await generateKeyPair({ algorithm: "ed25519" })).algorithm).toBe("ed25519");
    await expect(generateKeyPair({ algorithm: "rsa-1024" as KeyAlgorithm })).rejects.toMatchObject({ code: "KEY_UNSUPPORTED" });
  });
});
