import * as z from "zod";

/** URL slugs: lowercase words joined by single hyphens, as used for modules and lectures. */
export const slugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.");
