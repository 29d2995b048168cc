import { Hono } from "hono";
import { getAdminOverview } from "../../db/queries/admin.ts";
import { requireAdmin } from "../middleware/auth.ts";
import type { AppEnv } from "../types.ts";
import { adminPreviewApi } from "./admin-preview.ts";
import { adminUploadsApi } from "./admin-uploads.ts";

/** Admin-only JSON. For anyone else these routes do not exist (404, like an unknown path). */
export const adminApi = new Hono<AppEnv>()
  .use(requireAdmin)
  .get("/overview", async (c) => {
    const session = (await c.var.services.auth.getSession())!;
    const overview = await getAdminOverview(c.var.services.db, session.user);
    return c.json(overview, 200, { "cache-control": "no-store" });
  })
  .route("/preview", adminPreviewApi)
  .route("/uploads", adminUploadsApi);
