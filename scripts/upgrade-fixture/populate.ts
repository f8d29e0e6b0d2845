// Runs inside a checkout of an EARLIER commit (scripts/make-upgrade-fixture.mjs copies it there):
// fills a database through that version's own services, then prints what the upgrade test must
// find again (row counts, every CRL's bytes, the served CRL's ETag) as JSON on stdout.
// Usage: tsx --conditions=react-server populate.ts pglite <dataDir> | postgres <url>
import { createHash } from "node:crypto";
import { asc, sql } from "drizzle-orm";
import { openDatabase, schema } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

const [kind, target] = process.argv.slice(2);
if ((kind !== "pglite" && kind !== "postgres") || !target) throw new Error("usage: populate.ts pglite <dataDir> | postgres <url>");
const key = parseMasterKey(process.env.FIXTURE_MASTER_KEY!, "fixture");
const keyRing = { current: key, all: [key], source: "fixture" };
const actor = { type: "cli", label: "upgrade-fixture" } as const;
const handle = await openDatabase(kind === "pglite" ? { kind, dataDir: target } : { kind, url: target });
const { db } = handle;

for (const [name, nodes] of [
  ["orders-prod", ["pg-1.orders.internal", "pg-2.orders.internal", "pg-3.orders.internal"]],
  ["billing", ["db-a.billing.internal", "db-b.billing.internal"]],
] as const) {
  await createCluster(db, actor, key, { name });
  for (const [i, hostname] of nodes.entries()) await addNode(db, actor, keyRing, name, { hostname, role: i === 0 ? "primary" : "replica" });
}
// Two revocations in orders-prod (its CRL is re-signed each time), none in billing.
const servers = await db.select().from(schema.certificates).orderBy(asc(schema.certificates.commonName));
for (const cn of ["pg-2.orders.internal", "pg-3.orders.internal"]) {
  await revokeCertificate(db, actor, keyRing, servers.find((c) => c.commonName === cn)!.serialHex, "keyCompromise");
}

const query = async <T>(text: string) => ((await db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
const sha256 = (value: string | Uint8Array) => createHash("sha256").update(value).digest("hex");
// Each table's rows by id, with what must not change: a certificate's PEM, an audit row's action and object.
const rows = {
  clusters: Object.fromEntries((await query<{ id: string; name: string }>("SELECT id, name FROM clusters")).map((r) => [r.id, r.name])),
  nodes: Object.fromEntries(
    (await query<{ id: string; hostname: string }>("SELECT id, hostname FROM nodes")).map((r) => [r.id, r.hostname]),
  ),
  certificates: Object.fromEntries(
    (await query<{ id: string; certificate_pem: string; status: string }>("SELECT id, certificate_pem, status FROM certificates")).map(
      (r) => [r.id, `${r.status} ${sha256(r.certificate_pem)}`],
    ),
  ),
  certificate_authorities: Object.fromEntries(
    (await query<{ id: string; certificate_id: string }>("SELECT id, certificate_id FROM certificate_authorities")).map((r) => [
      r.id,
      r.certificate_id,
    ]),
  ),
  // The certificates whose private key is stored (a server's own, or its CA's): each must still open.
  keys: (
    await query<{ id: string }>(
      "SELECT id FROM certificates WHERE encrypted_private_key IS NOT NULL UNION SELECT certificate_id FROM certificate_authorities ORDER BY 1",
    )
  ).map((r) => r.id),
  audit_events: Object.fromEntries(
    (
      await query<{ id: string; action: string; object_id: string | null }>("SELECT id::text AS id, action, object_id FROM audit_events")
    ).map((r) => [r.id, `${r.action} ${r.object_id}`]),
  ),
};
const crls = await db.select().from(schema.crls);
const served: Record<string, string> = {};
for (const name of ["orders-prod", "billing"]) served[name] = (await getPublishedFile(db, actor, name, "crl")).etag;
console.log(
  JSON.stringify({
    rows,
    crls: Object.fromEntries(crls.map((c) => [c.id, sha256(Buffer.from(c.der as Uint8Array))])),
    servedCrlEtags: served,
  }),
);
await handle.close();
