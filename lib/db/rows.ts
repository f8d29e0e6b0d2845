/**
 * The rows of a raw `db.execute(sql…)` result. Both drivers answer `{ rows }` (node-postgres's
 * QueryResult, PGlite's Results), but Drizzle types execute() by the driver it was built for, so
 * the shape is asserted here once: `T` is what the SELECT returns.
 */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
