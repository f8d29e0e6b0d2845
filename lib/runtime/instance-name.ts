import os from "node:os";

/**
 * This process among the app instances sharing a database: the job runs it records and its row
 * in app_instances (heartbeat) carry it. A pid is unique on its host while the process lives.
 */
export const INSTANCE = `${os.hostname()}:${process.pid}`;
