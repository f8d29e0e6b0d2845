import { describe, expect, it } from "vitest";
import { buildCrl, createRootCa, issueServerCertificate, parseCrl } from "@/lib/pki";
import { validateSet, type FileSet } from "./validate-set";

const HOUR = 3_600_000;

/** A node's set as the server hands it out: leaf + key, root.crt, root.crl. */
async function makeSet({ crlNumber = 5, nextUpdate = new Date(Date.now() + 24 * HOUR), names = ["db1.example", "127.0.0.1"] } = {}) {
  const root = await createRootCa({ subject: { CN: "Agent Root" }, days: 30 });
  const leaf = await issueServerCertificate({
    issuer: root,
    days: 10,
    dnsNames: names.filter((n) => !/^\d/.test(n)),
    ipAddresses: names.filter((n) => /^\d/.test(n)),
    key: { generate: "ecdsa-p256" },
  });
  const crl = await buildCrl({ issuer: root, entries: [], crlNumber, thisUpdate: new Date(Date.now() - HOUR), nextUpdate });
  const set: FileSet = { certificate: leaf.certificatePem, key: leaf.privateKeyPem!, root: root.certificatePem, crl: crl.pem };
  return { set, root, leaf, issuer: Buffer.from(parseCrl(crl.der).issuerDer).toString("hex") };
}
const expectFor = (installedCrlNumbers: Record<string, string> = {}) => ({
  names: ["db1.example", "127.0.0.1"],
  verifyHost: "127.0.0.1",
  installedCrlNumbers,
});

describe("validateSet: what the agent checks before touching a live file", () => {
  it("accepts a good set and returns the serial and the CRL numbers", async () => {
    const { set, leaf, issuer } = await makeSet();
    expect(await validateSet(set, expectFor())).toEqual({
      serial: leaf.serialHex,
      crls: [{ issuer, number: "5", nextUpdate: expect.any(String) }],
    });
  });

  it("refuses a key that does not match, a chain to another root, names that miss the node, and an expired certificate", async () => {
    const { set, leaf } = await makeSet();
    const other = await makeSet();
    await expect(validateSet({ ...set, key: other.set.key }, expectFor())).rejects.toThrow(
      `the private key does not match certificate ${leaf.serialHex}`,
    );
    await expect(validateSet({ ...set, root: other.set.root }, expectFor())).rejects.toThrow(/does not verify to the new root.crt/);
    await expect(validateSet(set, { ...expectFor(), names: ["db2.example"] })).rejects.toThrow(/does not cover db2.example/);
    await expect(validateSet(set, { ...expectFor(), now: new Date(Date.now() + 20 * 24 * HOUR) })).rejects.toThrow(
      /does not verify|not valid now/,
    );
  });

  it("refuses a CRL past nextUpdate, one signed by a CA not in root.crt, and one numbered below the installed", async () => {
    const stale = await makeSet({ nextUpdate: new Date(Date.now() - 1000) });
    await expect(validateSet(stale.set, expectFor())).rejects.toThrow(/past its nextUpdate/);
    const { set, issuer } = await makeSet({ crlNumber: 5 });
    const foreign = await makeSet();
    await expect(validateSet({ ...set, crl: foreign.set.crl }, expectFor())).rejects.toThrow(/not signed by any CA in root.crt/);
    await expect(validateSet(set, expectFor({ [issuer]: "6" }))).rejects.toThrow(/has number 5, below the installed 6/);
    await expect(validateSet(set, expectFor({ [issuer]: "5" }))).resolves.toMatchObject({ crls: [{ number: "5" }] });
  });
});
