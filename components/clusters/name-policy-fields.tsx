import { describedBy, FieldMessage } from "@/components/ui/field-message";
import { FormField } from "@/components/ui/form-field";

type NamePolicyFieldsProps = {
  permittedNames: string;
  allowWildcardNames: boolean;
  fieldErrors?: Record<string, string[] | undefined>;
  /** At creation the CA is made with the constraints; afterwards only the next CA (rotation) gets them. */
  when: "create" | "settings";
};

/** Which names the cluster's server certificates may carry: permitted DNS suffixes and IP ranges, and wildcards. */
export function NamePolicyFields({ permittedNames, allowWildcardNames, fieldErrors, when }: NamePolicyFieldsProps) {
  const ca =
    when === "create"
      ? "The new CA carries them as critical name constraints, so PostgreSQL clients refuse any other name it signs."
      : "Checked at every issuance from now on. The CA itself cannot change: the next CA (a CA rotation) carries them as name constraints.";
  const wildcardErrors = fieldErrors?.allowWildcardNames;
  return (
    <>
      <div className="md:col-span-2">
        <FormField
          name="permittedNames"
          label="Permitted names"
          placeholder="orders.internal, 10.20.0.0/16"
          hint={`DNS suffixes (orders.internal covers every name below it) and IP ranges; empty allows any name. ${ca}`}
          defaultValue={permittedNames}
          errors={fieldErrors?.permittedNames}
        />
      </div>
      <div className="space-y-1.5 md:col-span-2">
        <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
          <input
            type="checkbox"
            id="allowWildcardNames"
            name="allowWildcardNames"
            defaultChecked={allowWildcardNames}
            aria-describedby={describedBy("allowWildcardNames", wildcardErrors, "hint")}
          />
          Allow wildcard names (*.name)
        </label>
        <FieldMessage
          id="allowWildcardNames"
          errors={wildcardErrors}
          hint="Off by default: a wildcard certificate's key serves every host under the name, so one stolen key impersonates them all."
        />
      </div>
    </>
  );
}
