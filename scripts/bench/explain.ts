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
import { ADMIN, FLEET_LABEL, seedFleet, startFleetDatabase, type Backend, type Fleet, type FleetDatabase } from "./fleet";
import { parseAutoExplainLog, type LoggedPlan } from "./plan-log";

/** Each page's data, one service call per step, in the order the page asks for it. */
function steps(db: Database, admin: Actor, { clusterId, nodeId }: Fleet): [string, () => Promise<unknown>][] {
  const filters = (query: Record<string, string>) => ZCertificateFilters.parse(query);
  return [
    [
      "certificates: searchCertificates (cluster + expiring, as in the page bench)",
      () => searchCertificates(db, admin, filters({ cluster: clusterId, status: "expiring" })),
    ],
    ["certificates: searchCertificates (no filter)", () => searchCertificates(db, admin, filters({}))],
    [
      "certificates: searchCertificates (client, active, page 20)",
      () => searchCertificates(db, admin, filters({ kind: "client", status: "active", page: "20" })),
    ],
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
/** Median of 5 un-instrumented service calls per step (after a warm-up), per backend. */
export type StepTimes = Record<Backend, Map<string, number>>;

async function adminOf(db: Database): Promise<Actor> {
  const [user] = await db.select().from(schema.users).where(eq(schema.users.email, ADMIN.email));
  return { type: "user", id: user!.id, label: user!.email, role: user!.role };
}

async function timeSteps(database: FleetDatabase, fleet: Fleet): Promise<Map<string, number>> {
  const handle = await openDatabase(database.config);
  try {
    const times = new Map<string, number>();
    for (const [step, run] of steps(handle.db, await adminOf(handle.db), fleet)) {
      await run();
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await run();
        samples.push(performance.now() - started);
      }
      times.set(step, samples.sort((a, b) => a - b)[2]!);
    }
    return times;
  } finally {
    await handle.close();
  }
}

/**
 * Seeds a PostgreSQL fleet, times every step, then runs each once more with auto_explain on and
 * returns the logged plans. EXPLAIN ANALYZE's per-row timing inflates its durations (several-fold
 * on a 10,000-row sort), so the timings come from the un-instrumented calls. PGlite (no
 * auto_explain; it runs in the app's thread, so its cost is what a page waits for) is timed alike.
 */
export async function explainPages(): Promise<{ steps: ExplainedStep[]; times: StepTimes }> {
  // auto_explain is loaded but silent until the database setting below turns it on for the
  // connections opened afterwards.
  const database = await startFleetDatabase("postgres", {
    shared_preload_libraries: "'auto_explain'",
    "auto_explain.log_min_duration": "-1",
  });
  try {
    const fleet = await seedFleet(database);
    const postgresTimes = await timeSteps(database, fleet);
    database.psql!(
      "ALTER DATABASE cluster_tls SET auto_explain.log_min_duration = 0; ALTER DATABASE cluster_tls SET auto_explain.log_analyze = on; ALTER DATABASE cluster_tls SET auto_explain.log_buffers = on",
    );
    const handle = await openDatabase(database.config);
    try {
      const all = steps(handle.db, await adminOf(handle.db), fleet);
      const logStart = database.serverLog!().length;
      for (const [step, run] of all) {
        await handle.db.execute(sql.raw(`SELECT '${MARKER}${step.replace(/'/g, "")}'`));
        await run();
      }
      await handle.db.execute(sql.raw(`SELECT '${MARKER}end'`));
      const logged = groupByStep(parseAutoExplainLog(database.serverLog!().slice(logStart)));
      return { steps: logged, times: { postgres: postgresTimes, pglite: await timePglite() } };
    } finally {
      await handle.close();
    }
  } finally {
    await database.stop();
  }
}

async function timePglite(): Promise<Map<string, number>> {
  const database = await startFleetDatabase("pglite");
  try {
    return await timeSteps(database, await seedFleet(database));
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
export function printExplained({ steps, times }: { steps: ExplainedStep[]; times: StepTimes }): void {
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) on PostgreSQL 15, ${FLEET_LABEL} (auto_explain)\n`);
  const flagged: string[] = [];
  for (const { step, plans } of steps) {
    console.log(`=== ${step}: ${plans.length} statements`);
    for (const plan of plans) {
      console.log(`--- ${plan.durationMs.toFixed(2)} ms under EXPLAIN ANALYZE: ${plan.query.replace(/\s+/g, " ").slice(0, 300)}`);
      console.log(plan.plan);
      for (const flag of plan.flags) flagged.push(`${step}: ${flag}`);
    }
  }
  console.log(`\nFlagged (Seq Scan on certificates/nodes, or a Sort over ≥ 1,000 rows): ${flagged.length}`);
  for (const line of flagged) console.log(`  ${line}`);
  const ms = (backend: Backend, step: string) => times[backend].get(step)?.toFixed(1) ?? "";
  console.log("\nService calls, median of 5, no EXPLAIN (ms):\n| step | PostgreSQL | PGlite |\n|---|---:|---:|");
  for (const step of times.postgres.keys()) console.log(`| ${step} | ${ms("postgres", step)} | ${ms("pglite", step)} |`);
}
