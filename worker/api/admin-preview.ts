import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod";
import { LECTURE_BODY_MAX } from "../../db/queries/admin-content-limits.ts";
import { renderMarkdown } from "../markdown/render.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";
import { validate } from "./validate.ts";

// Markdown characters are at most 4 bytes of UTF-8; JSON escaping can double that.
const MAX_BODY_BYTES = LECTURE_BODY_MAX * 8;

const previewRequest = z.object({
  markdown: z
    .string()
    .max(LECTURE_BODY_MAX, `Markdown can be up to ${LECTURE_BODY_MAX.toLocaleString("en")} characters.`),
});

/**
 * The editor's live preview: markdown in, the HTML students would see out, through the same
 * pipeline (and sanitiser) that renders a saved lecture. Mounted under the admin API, whose
 * guard answers 404 to anyone but an admin.
 */
export const adminPreviewApi = new Hono<AppEnv>().post(
  "/",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("BAD_REQUEST", "That markdown is too long to preview.");
    },
  }),
  validate("json", previewRequest),
  (c) => c.json({ html: renderMarkdown(c.req.valid("json").markdown).html }, 200, { "cache-control": "no-store" }),
);
