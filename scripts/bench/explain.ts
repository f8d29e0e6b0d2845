// `npm run bench -- explain`: the query plans behind the cluster page, the overview, the
// certificates page and the node page, on real PostgreSQL 15 with the seeded fleet.
// auto_explain logs EXPLAIN (ANALYZE, BUFFERS) of every statement the services run, so what is
// shown is exactly what the app sends (Drizzle's SQL, its parameters as bind values).
import { eq, sql } from "drizzle-orm";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type Database } from "@/lib/db";
import { listClientCertificates } from "@/lib/services/certificates/list-client-certificates";
import { listMyExpiringCertificates } from "@/lib/services/certificates/list-my-expiring-certificates";
import { searchCertificates } from "@/lib/services/certificates/search-certificates";
import { countCertificatesByCluster } from "@/lib/services/clusters/count-certificates-by-cluster";
import { getClusterOverview } from "@/lib/services/clusters/get-cluster-overview";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { getOverview } from "@/lib/services/get-overview";
import { getNodeDetails } from "@/lib/services/nodes/get-node-details";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { getExpiryTimeline } from "@/lib/services/timeline/get-expiry-timeline";
import { ZCertificateFilters } from "@/lib/validations/certificate-filters";
import { ADMIN, FLEET_LABEL, seedFleet, startFleetDatabase, type Fleet } from "./fleet";
import { parseAutoExplainLog, type LoggedPlan } from "./plan-log";

/** Each page's data, one service call per step, in the order the page asks for it. */
function steps(db: Database, admin: Actor, { clusterId, nodeId }: Fleet): [string, () => Promise<unknown>][] {
  const filters = (query: Record<string, string>) => ZCertificateFilters.parse(query);
  return [
    ["certificates: searchCertificates (cluster + expiring, as in the page bench)", () => searchCertificates(db, admin, filters({ cluster: clusterId, status: "expiring" }))],
    ["certificates: searchCertificates (no filter)", () => searchCertificates(db, admin, filters({}))],
    ["certificates: searchCertificates (client, active, page 20)", () => searchCertificates(db, admin, filters({ kind: "client", status: "active", page: "20" }))],
    ["certificates: searchCertificates (q=app12)", () => searchCertificates(db, admin, filters({ q: "app12" }))],
    ["cluster: getClusterOverview", () => getClusterOverview(db, admin, clusterId)],
    ["cluster: listNodes (page 1)", () => listNodes(db, clusterId)],
    ["cluster: listNodes (page 20)", () => listNodes(db, clusterId, { page: 20 })],
    ["cluster: listNodes (search db12)", () => listNodes(db, clusterId, { search: "db12" })],
    ["cluster: listClientCertificates", () => listClientCertificates(db, clusterId)],
    ["cluster: getExpiryTimeline (one cluster)", () => getExpiryTimeline(db, admin, { clusterId })],
    ["overview: getOverview", () => getOverview(db, admin)],
    ["overview: listClusters", () => listClusters(db, admin)],
    ["overview: getExpiryTimeline (all clusters)", () => getExpiryTimeline(db, admin)],
    ["overview: listMyExpiringCertificates", () => listMyExpiringCertificates(db, admin)],
    ["overview: countCertificatesByCluster", () => countCertificatesByCluster(db, [clusterId])],
    ["node: getNodeDetails", () => getNodeDetails(db, admin, nodeId)],
  ];
}

const MARKER = "ctls-explain-step:";

export type ExplainedStep = { step: string; plans: LoggedPlan[] };

/** Seeds a PostgreSQL fleet, runs every step once warm and once logged, and returns the logged plans. */
export async function explainPages(): Promise<ExplainedStep[]> {
  // auto_explain is loaded but silent while seeding; the database setting below turns it on
  // for the connections opened afterwards.
  const database = await startFleetDatabase("postgres", { shared_preload_libraries: "'auto_explain'", "auto_explain.log_min_duration": "-1" });
  try {
    const fleet = await seedFleet(database);
    database.psql!("ALTER DATABASE cluster_tls SET auto_explain.log_min_duration = 0; ALTER DATABASE cluster_tls SET auto_explain.log_analyze = on; ALTER DATABASE cluster_tls SET auto_explain.log_buffers = on");
    const handle = await openDatabase(database.config);
    try {
      const [user] = await handle.db.select().from(schema.users).where(eq(schema.users.email, ADMIN.email));
      const admin: Actor = { type: "user", id: user!.id, label: user!.email, role: user!.role };
      const all = steps(handle.db, admin, fleet);
      for (const [, run] of all) await run(); // warm the buffer cache and the connections
      const logStart = database.serverLog!().length;
      for (const [step, run] of all) {
        await handle.db.execute(sql.raw(`SELECT '${MARKER}${step.replace(/'/g, "")}'`));
        await run();
      }
      await handle.db.execute(sql.raw(`SELECT '${MARKER}end'`));
      return groupByStep(parseAutoExplainLog(database.serverLog!().slice(logStart)));
    } finally {
      await handle.close();
    }
  } finally {
    await database.stop();
  }
}

/**
 * The same steps against a PGlite fleet, timed (median of 5 after a warm-up): PGlite has no
 * auto_explain, and it runs in the app's own thread, so what each service costs there is what
 * a page waits for.
 */
export async function timePgliteSteps(): Promise<Map<string, number>> {
  const database = await startFleetDatabase("pglite");
  try {
    const fleet = await seedFleet(database);
    const handle = await openDatabase(database.config);
    try {
      const [user] = await handle.db.select().from(schema.users).where(eq(schema.users.email, ADMIN.email));
      const admin: Actor = { type: "user", id: user!.id, label: user!.email, role: user!.role };
      const times = new Map<string, number>();
      for (const [step, run] of steps(handle.db, admin, fleet)) {
        await run();
        const samples: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          await run();
          samples.push(performance.now() - started);
        }
        times.set(step.replace(/'/g, ""), samples.sort((a, b) => a - b)[2]!);
      }
      return times;
    } finally {
      await handle.close();
    }
  } finally {
    await database.stop();
  }
}

function groupByStep(plans: LoggedPlan[]): ExplainedStep[] {
  const steps: ExplainedStep[] = [];
  for (const plan of plans) {
    const marker = plan.query.match(new RegExp(`'${MARKER}(.*)'`));
    if (marker) {
      if (marker[1] !== "end") steps.push({ step: marker[1]!, plans: [] });
    } else if (steps.length > 0) {
      steps.at(-1)!.plans.push(plan);
    }
  }
  return steps;
}

/** Prints every plan and a summary of the ones that read a whole fleet table or sort many rows. */
export function printExplained(steps: ExplainedStep[], pglite = new Map<string, number>()): void {
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) on PostgreSQL 15, ${FLEET_LABEL} (auto_explain)\n`);
  const flagged: string[] = [];
  for (const { step, plans } of steps) {
    const total = plans.reduce((sum, p) => sum + p.durationMs, 0);
    console.log(`=== ${step}: PostgreSQL ${total.toFixed(2)} ms in ${plans.length} statements${pglite.has(step) ? `, PGlite ${pglite.get(step)!.toFixed(1)} ms (service call, median of 5)` : ""}`);
    for (const plan of plans) {
      console.log(`--- ${plan.durationMs.toFixed(2)} ms: ${plan.query.replace(/\s+/g, " ").slice(0, 300)}`);
      console.log(plan.plan);
      for (const flag of plan.flags) flagged.push(`${step}: ${flag} (${plan.durationMs.toFixed(2)} ms)`);
    }
  }
  console.log(`\nFlagged (Seq Scan on certificates/nodes, or a Sort over ≥ 1,000 rows): ${flagged.length}`);
  for (const line of flagged) console.log(`  ${line}`);
  console.log("\n| step | PostgreSQL, sum of statements (ms) | PGlite, service call (ms) |\n|---|---:|---:|");
  for (const { step, plans } of steps) console.log(`| ${step} | ${plans.reduce((sum, p) => sum + p.durationMs, 0).toFixed(2)} | ${pglite.get(step)?.toFixed(1) ?? ""} |`);
}
