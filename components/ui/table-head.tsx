import type { ReactNode } from "react";

export type Column =
  string | { label: ReactNode; key?: string; align?: "right"; srOnly?: boolean; sort?: "ascending" | "descending" | "none" };

/** The one header row style of every data table; `dense` for tables nested in a card. */
export function TableHead({ columns, dense = false }: { columns: Column[]; dense?: boolean }) {
  return (
    <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
      <tr>
        {columns.map((column, index) => {
          const { label, key, align, srOnly, sort } = typeof column === "string" ? { label: column } : column;
          return (
            // relative: an sr-only label is absolutely positioned; without a positioned cell it escapes the
            // table's scrolling box and widens the page (a phone then zooms the whole page out).
            <th
              key={key ?? (typeof label === "string" ? label : index)}
              scope="col"
              aria-sort={sort}
              className={`relative px-4 ${dense ? "py-2" : "py-3"}${align === "right" ? " text-right" : ""}`}
            >
              {srOnly ? <span className="sr-only">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
