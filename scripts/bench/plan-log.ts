// Reads auto_explain's entries out of a PostgreSQL server log (text format, default prefix).

export type LoggedPlan = { durationMs: number; query: string; plan: string; flags: string[] };

const HEADER = /LOG:\s+duration: ([\d.]+) ms\s+plan:\s*$/;
const NODE =
  /^(\s*)(?:->\s+)?([A-Z][A-Za-z ]+?)(?: on (\w+)(?: \w+)?)?\s+\(cost=[^)]*\)\s+\(actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)\)/;
/** The fleet's big tables: reading either whole is what an index should avoid. */
const FLEET_TABLES = new Set(["certificates", "nodes"]);
const BIG_SORT_ROWS = 1_000;

export function parseAutoExplainLog(log: string): LoggedPlan[] {
  const plans: LoggedPlan[] = [];
  const lines = log.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!.match(HEADER);
    if (!header) continue;
    const body: string[] = [];
    // Continuation lines of a multi-line log message start with a tab.
    while (i + 1 < lines.length && lines[i + 1]!.startsWith("\t")) body.push(lines[++i]!.slice(1));
    const queryLine = body.findIndex((line) => line.startsWith("Query Text: "));
    const query = queryLine >= 0 ? body[queryLine]!.slice("Query Text: ".length) : "";
    const planLines = body.slice(queryLine + 1);
    plans.push({ durationMs: Number(header[1]), query, plan: planLines.join("\n"), flags: flagsOf(planLines) });
  }
  return plans;
}

type PlanNode = { indent: number; type: string; table?: string; rows: number; loops: number; details: string[] };

function flagsOf(planLines: string[]): string[] {
  const nodes: PlanNode[] = [];
  for (const text of planLines) {
    const m = text.match(NODE);
    // Lines that are not a node (Filter, Buffers, Sort Method, …) belong to the node above them.
    if (m) nodes.push({ indent: m[1]!.length, type: m[2]!.trim(), table: m[3], rows: Number(m[4]), loops: Number(m[5]), details: [] });
    else nodes.at(-1)?.details.push(text.trim());
  }
  const flags: string[] = [];
  nodes.forEach((node, index) => {
    if (node.type === "Seq Scan" && node.table && FLEET_TABLES.has(node.table)) {
      const removed = node.details.find((l) => l.startsWith("Rows Removed by Filter:"));
      flags.push(`Seq Scan on ${node.table} (${node.rows} rows × ${node.loops}${removed ? `, ${removed.toLowerCase()}` : ""})`);
    }
    if (/Sort$/.test(node.type)) {
      const child = nodes.slice(index + 1).find((n) => n.indent > node.indent);
      const method = node.details.find((l) => l.startsWith("Sort Method:"));
      if (child && child.rows * child.loops >= BIG_SORT_ROWS)
        flags.push(
          `${node.type} of ${child.rows * child.loops} rows from ${child.type}${child.table ? ` on ${child.table}` : ""}${method ? ` (${method})` : ""}`,
        );
    }
  });
  return flags;
}
