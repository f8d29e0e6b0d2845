// `regenerateCrl` on a CA with N revoked certificates in the database — the product's path,
// paged query included. Seeding and measuring run in separate processes so the measured peak
// RSS is the regeneration's. argv: seed <count> <target> | regen <caId> <target>, where target
// is a PGlite data directory or a postgres:// URL.
import { eq } from "drizzle-orm";
import { openDatabase, schema } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { certificateRow } from "@/tests/support/db-fixtures";
import { benchEntries } from "./entries";
import { longestBlockMs } from "./measure";

const [mode, arg, target] = process.argv.slice(2) as [string, string, string];
const handle = await openDatabase(target.startsWith("postgres") ? { kind: "postgres", url: target } : { kind: "pglite", dataDir: target });
const key = parseMasterKey(Buffer.alloc(32, 9).toString("base64"), "bench");
try {
  if (mode === "seed") {
    const count = Number(arg);
    const cluster = await createCluster(handle.db, { type: "cli", label: "bench" }, key, { name: `crl-${count}` });
    const [ca] = await handle.db
      .select()
      .from(schema.certificateAuthorities)
      .where(eq(schema.certificateAuthorities.clusterId, cluster.id));
    const entries = benchEntries(count);
    for (let i = 0; i < entries.length; i += 2_000) {
      await handle.db.insert(schema.certificates).values(
        entries.slice(i, i + 2_000).map((e) =>
          certificateRow(cluster.id, {
            issuerCaId: ca!.id,
            serialHex: e.serialHex,
            status: "revoked",
            revokedAt: e.revokedAt,
            revocationReason: e.reason ?? null,
          }),
        ),
      );
    }
    await handle.db.execute("ANALYZE certificates");
    console.log(JSON.stringify({ caId: ca!.id }));
  } else {
    await handle.db.transaction((tx) => regenerateCrl(tx, arg, [key])); // warm-up
    const { ms, blockMs } = await longestBlockMs(() => handle.db.transaction((tx) => regenerateCrl(tx, arg, [key])));
    console.log(JSON.stringify({ ms, blockMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  }
} finally {
  await handle.close();
}
