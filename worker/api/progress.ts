import { Hono } from "hono";
import { z } from "zod";
import { saveVideoPosition, setLectureCompleted } from "../../db/queries/progress.ts";
import { requireUser } from "../middleware/auth.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";
import { validate } from "./validate.ts";

const lectureParam = z.object({ lectureId: z.coerce.number().int().positive() });
const position = z.object({
  seconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 * 60),
});

const refused = () => new ApiError("ENROLLMENT_REQUIRED", "This lecture is open to enrolled students.");

/** The player's writes: where the student is in a video, and finishing it. Own rows only. */
export const progressApi = new Hono<AppEnv>()
  .use(requireUser)
  .post("/:lectureId/position", validate("param", lectureParam), validate("json", position), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const saved = await saveVideoPosition(
      c.var.services.db,
      user,
      c.req.valid("param").lectureId,
      c.req.valid("json").seconds,
    );
    if (!saved) throw refused();
    return c.body(null, 204);
  })
  .post("/:lectureId/complete", validate("param", lectureParam), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    if (!(await setLectureCompleted(c.var.services.db, user, c.req.valid("param").lectureId, true))) throw refused();
    return c.body(null, 204);
  });
