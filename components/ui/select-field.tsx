import type { SelectHTMLAttributes } from "react";
import { describedBy, FieldMessage } from "./field-message";

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  errors?: string[];
};

export function SelectField({ name, label, options, errors, id = name, ...props }: SelectFieldProps) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={(errors !== undefined && errors.length > 0) || undefined}
        aria-describedby={describedBy(id, errors)}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500"
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessage id={id} errors={errors} />
    </div>
  );
}
