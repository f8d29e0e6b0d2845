import type { ReactNode } from "react";

export const FILTER_INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";

/** Filter / Clear for the GET filter forms (filters live in the URL); `children` are hidden fields to keep. */
export function FilterActions({ clearHref, children }: { clearHref: string; children?: ReactNode }) {
  return (
    <div className="flex gap-2">
      {children}
      <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
        Filter
      </button>
      <a href={clearHref} className="rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100">
        Clear
      </a>
    </div>
  );
}

/** A labelled select of a filter form, "any" first. */
export function FilterSelect({
  label,
  name,
  value,
  anyLabel,
  options,
}: {
  label: string;
  name: string;
  value: string | undefined;
  anyLabel: string;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <select name={name} defaultValue={value ?? ""} className={FILTER_INPUT}>
        <option value="">{anyLabel}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}
