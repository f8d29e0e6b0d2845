import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editServiceFile, removeServiceSection, serviceSectionNames, upsertServiceSection } from "./pg-service-file";

const ours: Array<[string, string]> = [
  ["host", "db1.example.com"],
  ["port", "5432"],
  ["sslmode", "verify-full"],
];

// A user's file with everything libpq allows around sections: comments, indentation, blank lines,
// a comment inside a section, a missing final newline.
const USER_FILE = "# my services\n[local]\nhost=localhost\n  # port below\nport=5433\n\n\n[analytics]\nhost=olap.internal\ndbname=olap";

describe("pg_service.conf edits", () => {
  it("adds a section at the end and removing it gives back the file byte for byte", () => {
    for (const original of ["", "[a]\nhost=x\n", USER_FILE, "[a]\r\nhost=x\r\n"]) {
      const added = upsertServiceSection(original, "orders-app", ours);
      expect(added.startsWith(original)).toBe(true);
      expect(serviceSectionNames(added)).toContain("orders-app");
      const removed = removeServiceSection(added, "orders-app");
      // A file without a final newline gets one (the section had to start on its own line).
      expect(removed).toBe(original.endsWith("\n") || original === "" ? original : `${original}\n`);
    }
  });

  it("keeps the file's CRLF line endings in the lines it writes", () => {
    const added = upsertServiceSection("[a]\r\nhost=x\r\n", "orders-app", ours);
    expect(added).toBe("[a]\r\nhost=x\r\n\r\n[orders-app]\r\nhost=db1.example.com\r\nport=5432\r\nsslmode=verify-full\r\n");
  });

  it("updates a section in place: its own extra keys, comments and position stay, the other sections do not move", () => {
    const file = "[orders-app]\r\n# pinned by me\r\nhost=old.example.com\r\nconnect_timeout=5\r\n\r\n[other]\r\nhost=o\r\n";
    const updated = upsertServiceSection(file, "orders-app", ours);
    expect(updated).toBe(
      "[orders-app]\r\n# pinned by me\r\nhost=db1.example.com\r\nconnect_timeout=5\r\nport=5432\r\nsslmode=verify-full\r\n\r\n[other]\r\nhost=o\r\n",
    );
    expect(upsertServiceSection(updated, "orders-app", ours)).toBe(updated);
  });

  it("removes a section in the middle and leaves its neighbours, their comments and blank lines", () => {
    const withOurs = upsertServiceSection(USER_FILE, "orders-app", ours);
    const userAddedLater = `${withOurs}\n# mine again\n[later]\nhost=l\n`;
    expect(removeServiceSection(userAddedLater, "orders-app")).toBe(`${USER_FILE}\n\n# mine again\n[later]\nhost=l\n`);
    expect(removeServiceSection(USER_FILE, "absent")).toBe(USER_FILE);
  });

  it("matches the section name exactly, as libpq does (orders-app is not orders-app-ro)", () => {
    const file = "[orders-app-ro]\nhost=r\n";
    expect(upsertServiceSection(file, "orders-app", ours)).toBe(
      `${file}\n[orders-app]\nhost=db1.example.com\nport=5432\nsslmode=verify-full\n`,
    );
    expect(removeServiceSection(file, "orders-app")).toBe(file);
  });

  it("refuses values that would break the line syntax", () => {
    expect(() => upsertServiceSection("", "x", [["sslcert", "/home/a\nhost=evil"]])).toThrow(/line breaks/);
  });

  it("on disk: edits the file a symlink points at, keeps the link and the file's mode", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-service-"));
    const real = path.join(dir, "dotfiles-pg_service.conf");
    fs.writeFileSync(real, USER_FILE, { mode: 0o640 });
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, ".pg_service.conf");
    fs.symlinkSync(real, link);
    expect(editServiceFile(link, (t) => upsertServiceSection(t, "orders-app", ours))).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(real, "utf8")).toContain("[orders-app]");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
