/** An empty form field means "not given": zod preprocess for optional fields, so "" is not a value. */
export const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
