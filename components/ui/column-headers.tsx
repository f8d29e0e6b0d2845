/** One column of a table head: its label, and whether it holds right-aligned values (states, counts). */
export type Column = string | { label: string; alignEnd: true };

/**
 * A table's `<thead>`: one `<th scope="col">` per column (screen readers announce it with each
 * cell), styled as every list in the dashboard or, `compact`, as the small tables inside cards.
 */
export function ColumnHeaders({
  columns,
  cell,
  className = "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500",
}: {
  columns: readonly (Column | false | null)[];
  /** The padding (and weight) of each header cell. */
  cell: string;
  className?: string;
}) {
  const shown = columns.filter((column): column is Column => Boolean(column));
  return (
    <thead className={className}>
      <tr>
        {shown.map((column) => {
          const label = typeof column === "string" ? column : column.label;
          return (
            <th key={label} scope="col" className={typeof column === "string" ? cell : `${cell} text-right`}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
