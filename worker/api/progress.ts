import { Hono } from "hono";
import * as z from "zod";
import { lectureOpening, loadReleaseSchedule, opensOnText, type ReleaseSchedule } from "../../db/queries/access.ts";
import type { Database } from "../../db/client.ts";
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

/** Why a write was refused: the module has not opened for the student's cohort, or no enrolment. */
async function refused(db: Database, schedule: ReleaseSchedule, lectureId: number) {
  const opening = await lectureOpening(db, schedule, lectureId);
  if (opening) return new ApiError("NOT_RELEASED", `This lecture's module ${opensOnText(opening)} for your cohort.`);
  return new ApiError("ENROLLMENT_REQUIRED", "This lecture is open to enrolled students.");
}

/** The player's writes: where the student is in a video, and finishing it. Own rows only. */
export const progressApi = new Hono<AppEnv>()
  .use(requireUser)
  .post("/:lectureId/position", validate("param", lectureParam), validate("json", position), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const { db } = c.var.services;
    const { lectureId } = c.req.valid("param");
    const schedule = await loadReleaseSchedule(db, user);
    const saved = await saveVideoPosition(db, user, lectureId, c.req.valid("json").seconds, schedule);
    if (!saved) throw await refused(db, schedule, lectureId);
    return c.body(null, 204);
  })
  .post("/:lectureId/complete", validate("param", lectureParam), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const { db } = c.var.services;
    const { lectureId } = c.req.valid("param");
    const schedule = await loadReleaseSchedule(db, user);
    if (!(await setLectureCompleted(db, user, lectureId, true, schedule))) throw await refused(db, schedule, lectureId);
    return c.body(null, 204);
  });
