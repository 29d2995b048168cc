import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { ApiError, issuesFromZod } from "./errors.ts";

/** zValidator that fails with our error shape (400 BAD_REQUEST, one issue per field). */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError("BAD_REQUEST", `Invalid ${target}: check the listed fields.`, {
        issues: issuesFromZod(result.error),
      });
    }
  });
}
