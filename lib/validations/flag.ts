import { z } from "zod";

/** A checkbox sends "on" or nothing; the API sends true or false. */
export const ZFlag = z.union([z.boolean(), z.enum(["on", "true", "false"]).transform((v) => v !== "false")], {
  message: "Must be true or false",
});
