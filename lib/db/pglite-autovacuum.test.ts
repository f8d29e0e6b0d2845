import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeStaleTables, vacuumDeadTables } from "./pglite-autovacuum";
import { openDatabase } from "./client";
import { clusters } from "./schema";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-analyze-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const statsOf = async (client: PGlite, table: string) =>
  (await client.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = $1", [table])).rows[0]!.reltuples;

describe("autovacuum for the embedded database (PGlite has none)", () => {
  it("analyzes a table never analyzed, then only once it has changed past autovacuum's threshold", async () => {
    const client = await PGlite.create(path.join(dir, "db"));
    try {
      await client.exec(
        "CREATE TABLE fleet (id int PRIMARY KEY, host text); INSERT INTO fleet SELECT g, 'db' || g FROM generate_series(1, 2000) g",
      );
      expect(await statsOf(client, "fleet")).toBe(-1); // nothing analyzes it on its own
      expect(await analyzeStaleTables(client)).toEqual(["fleet"]);
      expect(await statsOf(client, "fleet")).toBe(2000);
      expect(await analyzeStaleTables(client)).toEqual([]);
      await client.exec("INSERT INTO fleet SELECT g, 'db' || g FROM generate_series(2001, 2100) g"); // 100 < 50 + 10% of 2,000
      expect(await analyzeStaleTables(client)).toEqual([]);
      await client.exec("UPDATE fleet SET host = host || '.internal' WHERE id <= 300");
      expect(await analyzeStaleTables(client)).toEqual(["fleet"]);
      expect(await statsOf(client, "fleet")).toBe(2100);
    } finally {
      await client.close();
    }
  });

  it("vacuums a table once its dead rows pass autovacuum's threshold, so the space is reused", async () => {
    const client = await PGlite.create(path.join(dir, "db"));
    const deadRows = async () => {
      await client.query("SELECT pg_stat_force_next_flush()");
      return (await client.query<{ n: number }>("SELECT n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname = 'fleet'")).rows[0]!.n;
    };
    try {
      await client.exec(
        "CREATE TABLE fleet (id int PRIMARY KEY, host text); INSERT INTO fleet SELECT g, 'db' || g FROM generate_series(1, 2000) g",
      );
      await analyzeStaleTables(client);
      await client.exec("DELETE FROM fleet WHERE id <= 400"); // 400 < 50 + 20% of 2,000
      expect(await vacuumDeadTables(client)).toEqual([]);
      await client.exec("UPDATE fleet SET host = host || '.internal' WHERE id <= 1000"); // each update leaves a dead version
      expect(await deadRows()).toBeGreaterThan(450);
      expect(await vacuumDeadTables(client)).toEqual(["fleet"]);
      expect(await deadRows()).toBe(0);
      expect(await vacuumDeadTables(client)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("analyzes what a session wrote when its handle closes, so the next start plans with it", async () => {
    const dataDir = path.join(dir, "pglite");
    const first = await openDatabase({ kind: "pglite", dataDir }); // migrates and analyzes the empty tables
    await first.db.insert(clusters).values(Array.from({ length: 500 }, (_, i) => ({ name: `cluster-${i}` })));
    await first.close(); // well before the one-minute check

    const next = await PGlite.create(dataDir);
    try {
      expect(await statsOf(next, "clusters")).toBe(500);
      expect(await statsOf(next, "nodes")).toBe(0); // analyzed empty at the first open, not left at -1
    } finally {
      await next.close();
    }
  });
});
