import type { InputHTMLAttributes } from "react";
import { describedBy, FieldMessage } from "./field-message";

type FormFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: string;
  errors?: string[];
  hint?: string;
};

/** A labelled input whose errors are announced and linked to it (aria-describedby). */
export function FormField({ name, label, errors, hint, id = name, ...inputProps }: FormFieldProps) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:outline-none focus:ring-2 ${
          invalid ? "border-red-400 focus:ring-red-500" : "border-slate-300 focus:ring-indigo-500"
        }`}
        {...inputProps}
      />
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}
