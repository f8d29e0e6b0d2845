import path from "node:path";

/** The committed drizzle-kit migrations; both drivers apply the same folder. */
export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle");
}
