"use client";

import { useState } from "react";
import { describedBy, FieldMessage } from "./field-message";

type PemFieldProps = {
  name: string;
  label: string;
  /** e.g. "CERTIFICATE REQUEST": the placeholder shows its BEGIN line. */
  pemLabel: string;
  defaultValue?: string;
  errors?: string[];
  hint?: string;
  required?: boolean;
  rows?: number;
  /** File types the "load a file" picker offers. */
  accept?: string;
  id?: string;
};

/**
 * A PEM paste area with a file picker beside it (the file's text replaces the content): CSRs,
 * certificates, chains and keys are uploaded this way, never as opaque binary uploads.
 */
export function PemField({
  name,
  label,
  pemLabel,
  defaultValue = "",
  errors,
  hint,
  required,
  rows = 6,
  accept = ".pem,.crt,.csr,.req,.key,.crl,text/plain",
  id = name,
}: PemFieldProps) {
  const [value, setValue] = useState(defaultValue);
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <label className="inline-flex items-center gap-2 text-xs text-slate-600">
          <span>or load a file</span>
          <input
            type="file"
            accept={accept}
            aria-label={`Load the ${pemLabel.toLowerCase()} from a file`}
            className="max-w-48 text-xs"
            onChange={async (event) => setValue((await event.target.files?.[0]?.text()) ?? "")}
          />
        </label>
      </div>
      <textarea
        id={id}
        name={name}
        required={required}
        rows={rows}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        spellCheck={false}
        placeholder={`-----BEGIN ${pemLabel}-----\n…`}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-xs shadow-sm focus:outline-none focus:ring-2 ${invalid ? "border-red-400 focus:ring-red-500" : "border-slate-300 focus:ring-indigo-500"}`}
      />
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}
