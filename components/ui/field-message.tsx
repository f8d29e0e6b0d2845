/** The hint or error line under a form control, linked to it by id (aria-describedby). */
export function FieldMessage({ id, errors, hint }: { id: string; errors?: string[]; hint?: string }) {
  if (errors && errors.length > 0) {
    return (
      <p id={`${id}-error`} className="text-xs font-medium text-red-600">
        {errors.join(" ")}
      </p>
    );
  }
  return hint ? (
    <p id={`${id}-hint`} className="text-xs text-slate-500">
      {hint}
    </p>
  ) : null;
}

export function describedBy(id: string, errors?: string[], hint?: string): string | undefined {
  const invalid = errors !== undefined && errors.length > 0;
  return invalid ? `${id}-error` : hint ? `${id}-hint` : undefined;
}
