import { Hono } from "hono";
import * as z from "zod";
import { slugSchema } from "../db/content/slug.ts";
import { getLectureDownload, getLectureVideo } from "../db/queries/media.ts";
import { ApiError } from "./api/errors.ts";
import { validate } from "./api/validate.ts";
import type { AppEnv } from "./types.ts";
import { attachmentDisposition } from "./uploads/file-kinds.ts";

type ByteRange = { offset: number; length: number };

/**
 * One `bytes=` range (RFC 9110). Returns null to serve the whole file (no header, or a
 * form we do not serve, like several ranges), "unsatisfiable" for a range past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    const offset = Math.max(0, size - suffix);
    return { offset, length: size - offset };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/**
 * Lecture videos from R2, through the Worker so access is checked on every request:
 * free previews are public (and cacheable), everything else needs an active enrolment.
 * Seeking works: Range requests get 206 with exactly the bytes asked for.
 */
const ASSETS = {
  video: { suffix: "", missing: "This lecture's video is not available." },
  // WebVTT captions are stored beside the video, as `<video key>.vtt`.
  captions: { suffix: ".vtt", missing: "This video has no captions." },
} as const;

/** The refusals for media the viewer may not have yet; the lecture page explains them too. */
function assertOpen(found: { locked: boolean; notReleased: boolean }, lockedMessage: string) {
  if (found.notReleased) throw new ApiError("NOT_RELEASED", "This module has not opened for your cohort yet.");
  if (found.locked) throw new ApiError("ENROLLMENT_REQUIRED", lockedMessage);
}

const cacheControl = (isPublic: boolean) => (isPublic ? "public, max-age=86400" : "private, max-age=3600");

export const media = new Hono<AppEnv>()
  .get(
    "/:module/:lecture/:asset",
    validate("param", z.object({ module: slugSchema, lecture: slugSchema, asset: z.enum(["video", "captions"]) })),
    async (c) => {
      const { module, lecture, asset } = c.req.valid("param");
      const viewer = await c.var.services.auth.getUser();
      const video = await getLectureVideo(c.var.services.db, module, lecture, viewer);
      if (!video) throw new ApiError("NOT_FOUND", "This lecture has no video.");
      assertOpen(video, "This video is open to enrolled students.");

      const bucket = c.env.LECTURE_ASSETS;
      const key = video.key + ASSETS[asset].suffix;
      const head = await bucket.head(key);
      if (!head) throw new ApiError("NOT_FOUND", ASSETS[asset].missing);

      const headers = new Headers({
        "content-type": head.httpMetadata?.contentType ?? "application/octet-stream",
        "accept-ranges": "bytes",
        etag: head.httpEtag,
        "cache-control": cacheControl(video.isPublic),
      });
      const range = parseRange(c.req.header("range"), head.size);
      if (range === "unsatisfiable") {
        headers.set("content-range", `bytes */${head.size}`);
        return new Response(null, { status: 416, headers });
      }
      const object = await bucket.get(key, range ? { range } : undefined);
      if (!object) throw new ApiError("NOT_FOUND", ASSETS[asset].missing);
      if (!range) {
        headers.set("content-length", String(head.size));
        return new Response(object.body, { status: 200, headers });
      }
      headers.set("content-length", String(range.length));
      headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
      return new Response(object.body, { status: 206, headers });
    },
  )
  // A lecture's other files (slides, handouts): always a download, with the type found in
  // its bytes at upload, never rendered inline.
  .get(
    "/:module/:lecture/files/:fileId",
    validate("param", z.object({ module: slugSchema, lecture: slugSchema, fileId: z.uuid() })),
    async (c) => {
      const { module, lecture, fileId } = c.req.valid("param");
      const viewer = await c.var.services.auth.getUser();
      const file = await getLectureDownload(c.var.services.db, module, lecture, fileId, viewer);
      if (!file) throw new ApiError("NOT_FOUND", "This lecture has no such file.");
      assertOpen(file, "This file is open to enrolled students.");
      const object = await c.env.LECTURE_ASSETS.get(file.key);
      if (!object) throw new ApiError("NOT_FOUND", "This file is not available.");
      return new Response(object.body, {
        headers: {
          "content-type": file.contentType,
          "content-length": String(object.size),
          "content-disposition": attachmentDisposition(file.fileName),
          "x-content-type-options": "nosniff",
          etag: object.httpEtag,
          "cache-control": cacheControl(file.isPublic),
        },
      });
    },
  );
