import { Hono } from "hono";
import * as z from "zod";
import { announcementsAfter, markAnnouncementsRead, announcementSummary } from "../../db/queries/announcements.ts";
import { requireUser } from "../middleware/auth.ts";
import type { AppEnv } from "../types.ts";
import { validate } from "./validate.ts";

const id = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The member's announcements: catch-up after a reconnect, and marking them read. */
export const announcementsApi = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", validate("query", z.object({ after: id.default(0) })), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const result = await announcementsAfter(c.var.services.db, user, c.req.valid("query").after);
    return c.json(result, 200, { "cache-control": "no-store" });
  })
  .post(
    "/read",
    validate("json", z.object({ upTo: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })),
    async (c) => {
      const { user } = (await c.var.services.auth.getSession())!;
      await markAnnouncementsRead(c.var.services.db, user, c.req.valid("json").upTo);
      const { unread } = await announcementSummary(c.var.services.db, user);
      return c.json({ unread });
    },
  );
