import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const JDBC_JAR = "/usr/share/java/postgresql.jar";
export const hasJdbc = () => fs.existsSync(JDBC_JAR) && spawnSync("sh", ["-c", "command -v javac"]).status === 0;

let jdbcDir: string | undefined;

/**
 * Runs one query through pgJDBC (Debian's jar and the JDK here, no Maven) and returns the first
 * row's columns joined by spaces, or the driver's error. The checker is compiled once per process.
 */
export function jdbcQuery(url: string, sql: string): string {
  if (!jdbcDir) {
    jdbcDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-jdbc-"));
    fs.writeFileSync(
      path.join(jdbcDir, "Check.java"),
      `import java.sql.*;
public class Check { public static void main(String[] a) throws Exception {
  try (Connection c = DriverManager.getConnection(a[0]); ResultSet r = c.createStatement().executeQuery(a[1])) {
    r.next(); StringBuilder out = new StringBuilder();
    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) out.append(i > 1 ? " " : "").append(r.getString(i));
    System.out.println(out); } } }`,
    );
    const compiled = spawnSync("javac", ["-cp", JDBC_JAR, "Check.java"], { cwd: jdbcDir, encoding: "utf8" });
    if (compiled.status !== 0) throw new Error(`javac failed: ${compiled.stderr}`);
  }
  const run = spawnSync("java", ["-cp", `.:${JDBC_JAR}`, "Check", url, sql], { cwd: jdbcDir, encoding: "utf8" });
  return `${run.stdout}${run.stderr}`.trim();
}

/** One query through node-postgres with a client bundle's files (a fresh ssl object each time: pg mutates it). */
export async function nodePgQuery({
  host,
  port,
  user,
  database = "postgres",
  bundleDir,
  sql,
  servername,
}: {
  host: string;
  port: number;
  user: string;
  database?: string;
  bundleDir: string;
  sql: string;
  servername?: string;
}) {
  const read = (file: string) => fs.readFileSync(path.join(bundleDir, file), "utf8");
  const client = new pg.Client({
    host,
    port,
    user,
    database,
    ssl: { ca: read("root.crt"), cert: read("client.crt"), key: read("client.key"), ...(servername ? { servername } : {}) },
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
