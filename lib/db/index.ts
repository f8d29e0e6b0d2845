export { closeDatabase, getDatabaseHandle, getDb, openDatabase } from "./client";
export { DatabaseLockedError } from "./lock-file";
export * as schema from "./schema";
export { rowsOf } from "./rows";
export type { Database, DatabaseHandle, DatabaseKind, Executor, Transaction } from "./types";
