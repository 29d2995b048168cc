import { Hono } from "hono";
import * as z from "zod";
import { slugSchema } from "../../db/content/slug.ts";
import { getPublishedLecture, getPublishedModule, listPublishedModules } from "../../db/queries/curriculum.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";
import { validate } from "./validate.ts";

const PUBLIC_CACHE = { "cache-control": "public, max-age=60, stale-while-revalidate=600" };
// Responses that depend on who asks (progress, access) are never shared by caches.
const PRIVATE = { "cache-control": "private, no-store", vary: "cookie" };

export const modulesApi = new Hono<AppEnv>()
  .get("/", async (c) => {
    const modules = await listPublishedModules(c.var.services.db);
    return c.json({ modules }, 200, PUBLIC_CACHE);
  })
  .get("/:module", validate("param", z.object({ module: slugSchema })), async (c) => {
    const { module } = c.req.valid("param");
    const viewer = await c.var.services.auth.getUser();
    const found = await getPublishedModule(c.var.services.db, module, viewer);
    if (!found) throw new ApiError("NOT_FOUND", `No module "${module}".`);
    return c.json(found, 200, viewer ? PRIVATE : PUBLIC_CACHE);
  })
  .get(
    "/:module/lectures/:lecture",
    validate("param", z.object({ module: slugSchema, lecture: slugSchema })),
    async (c) => {
      const { module, lecture } = c.req.valid("param");
      const viewer = await c.var.services.auth.getUser();
      const page = await getPublishedLecture(c.var.services.db, module, lecture, viewer);
      if (!page) throw new ApiError("NOT_FOUND", `No lecture "${lecture}" in module "${module}".`);
      if (page.lecture.opening) {
        throw new ApiError(
          "NOT_RELEASED",
          `"${page.lecture.title}" opens for your cohort at ${page.lecture.opening.opensAt}.`,
        );
      }
      if (page.lecture.locked) {
        throw new ApiError("ENROLLMENT_REQUIRED", `"${page.lecture.title}" is open to enrolled students.`);
      }
      const { bodyHtml, ...fields } = page.lecture;
      return c.json(
        {
          lecture: { ...fields, html: bodyHtml },
          previous: page.previous,
          next: page.next,
        },
        200,
        viewer ? PRIVATE : PUBLIC_CACHE,
      );
    },
  );
