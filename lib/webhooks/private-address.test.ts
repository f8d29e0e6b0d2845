import { describe, expect, it } from "vitest";
import { checkedLookup, PrivateTargetError } from "./checked-lookup";
import { isPrivateAddress, isPrivateHost } from "./private-address";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "febf::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.1.2.3",
    "::ffff:169.254.169.254",
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "93.184.215.14",
    "172.32.0.1",
    "172.15.255.255",
    "100.128.0.1",
    "100.63.255.255",
    "192.169.0.1",
    "2606:4700::1111",
    "2001:db8::1",
    "::ffff:8.8.8.8",
    "fec0::1",
  ])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it("knows localhost by name (RFC 6761) and strips URL brackets", () => {
    for (const host of ["localhost", "LOCALHOST", "localhost.", "db.localhost", "[::1]", "[::ffff:7f00:1]", "127.0.0.1"])
      expect(isPrivateHost(host), host).toBe(true);
    for (const host of ["hooks.example.com", "localhost.example.com", "[2606:4700::1111]", "8.8.8.8"])
      expect(isPrivateHost(host), host).toBe(false);
  });
});

describe("checkedLookup", () => {
  const lookupWith = (answer: string[]) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      checkedLookup((_host, _options, callback) =>
        callback(
          null,
          answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
        ),
      )("hooks.example.com", { all: true }, (error, address) => resolve({ error, address })),
    );

  it("refuses a name when any of its addresses is private, not only the first", async () => {
    const { error } = await lookupWith(["93.184.215.14", "127.0.0.1"]);
    expect(error).toBeInstanceOf(PrivateTargetError);
    expect((await lookupWith(["::ffff:10.0.0.5"])).error).toBeInstanceOf(PrivateTargetError);
  });

  it("hands net exactly the addresses it checked", async () => {
    expect(await lookupWith(["93.184.215.14", "2606:4700::1111"])).toEqual({
      error: null,
      address: [
        { address: "93.184.215.14", family: 4 },
        { address: "2606:4700::1111", family: 6 },
      ],
    });
  });
});
