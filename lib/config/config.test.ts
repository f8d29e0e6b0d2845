import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeDatabase, readConfig } from "./index";

describe("readConfig", () => {
  it("defaults to PGlite under ./data/pglite", () => {
    const config = readConfig({});
    expect(config.dataDir).toBe(path.join(process.cwd(), "data"));
    expect(config.database).toEqual({ kind: "pglite", dataDir: path.join(process.cwd(), "data", "pglite") });
    expect(config.masterKeyBase64).toBeNull();
  });

  it("honours CLUSTER_TLS_DATA_DIR and CLUSTER_TLS_PGLITE_DIR", () => {
    expect(readConfig({ CLUSTER_TLS_DATA_DIR: "/srv/ctls" }).database).toEqual({ kind: "pglite", dataDir: "/srv/ctls/pglite" });
    expect(readConfig({ CLUSTER_TLS_PGLITE_DIR: "/var/db" }).database).toEqual({ kind: "pglite", dataDir: "/var/db" });
  });

  it("uses PostgreSQL when DATABASE_URL is set and hides its password in descriptions", () => {
    const config = readConfig({ DATABASE_URL: "postgres://app:s3cret@db.internal:5433/ctls" });
    expect(config.database.kind).toBe("postgres");
    expect(describeDatabase(config.database)).toBe("PostgreSQL at db.internal:5433/ctls");
  });

  it("names a malformed DATABASE_URL", () => {
    expect(() => readConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL is not a valid URL/);
    expect(() => readConfig({ DATABASE_URL: "mysql://x/y" })).toThrow(
      "DATABASE_URL must start with postgres:// or postgresql:// (got mysql://)",
    );
  });
});
