// Runs the CA rotation job in a process of its own, so a test can kill -9 it half-way through
// step 3. Usage: tsx --conditions=react-server tests/support/rotation-job-child.ts <postgres-url> <master-key-base64>
import { openDatabase } from "@/lib/db";
import { caRotationJob } from "@/lib/jobs/ca-rotation";
import { runJob } from "@/lib/jobs/run-job";
import { parseMasterKey } from "@/lib/secrets/master-key";

const [url, keyBase64] = process.argv.slice(2);
const key = parseMasterKey(keyBase64!, "test");
const handle = await openDatabase({ kind: "postgres", url: url! });
const result = await runJob(handle.db, { current: key, all: [key], source: "test" }, caRotationJob, { force: true, trigger: "child" });
console.log(JSON.stringify(result));
await handle.close();
