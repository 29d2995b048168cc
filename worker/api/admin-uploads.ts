import { Hono, type Context } from "hono";
import * as z from "zod";
import type { CurrentUser } from "../auth/context.ts";
import {
  deleteUpload,
  findLecture,
  getUpload,
  insertUpload,
  isFileKeyRecorded,
  recordCompletedUpload,
  recordUploadPart,
  replaceR2Upload,
  type UploadWithParts,
} from "../../db/queries/lecture-files.ts";
import {
  detectFileKind,
  hasBinaryControl,
  kindFromName,
  cleanFileName,
  sanitizeFileName,
  UNRECOGNISED,
} from "../uploads/file-kinds.ts";
import {
  ACCEPTED_LECTURE_FILES,
  expectedPartSize,
  LECTURE_FILE_KINDS,
  lectureFileKey,
  maxBytesFor,
  PART_SIZE,
  partCount,
  readExactly,
} from "../uploads/lecture-files.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";
import { validate } from "./validate.ts";

// Multipart uploads of lecture files to R2, mounted at /api/admin/uploads behind requireAdmin.
//   POST   /                  { lectureId, fileName, size, contentType? } -> 201 { upload }
//   GET    /:id               the upload and the parts R2 already has (to resume)
//   PUT    /:id/parts/:n      the raw bytes of part n (part 1 first: its bytes decide the type)
//   POST   /:id/complete      joins the parts into the file -> 201 { file }
//   DELETE /:id               aborts the upload -> 204
// Keys are chosen here, names are cleaned, and the type comes from the bytes; a refused
// file leaves nothing behind in R2 or D1.

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const createSchema = z.object({
  lectureId: z.number().int().positive(),
  fileName: z.string().min(1, "Give the file's name.").max(1000, "That file name is too long."),
  size: z.number().int().positive("The file is empty.").max(Number.MAX_SAFE_INTEGER),
  contentType: z.string().max(200).optional(),
});
const idParam = z.object({ id: z.uuid() });
const partParam = z.object({ id: z.uuid(), n: z.coerce.number().int().min(1).max(10_000) });

type UploadContext = Context<AppEnv>;

async function actorOf(c: UploadContext): Promise<CurrentUser> {
  return (await c.var.services.auth.getSession())!.user;
}

type UploadView = Pick<
  UploadWithParts,
  "id" | "lectureId" | "fileName" | "contentType" | "size" | "partSize" | "status" | "parts"
>;

function uploadJson(upload: UploadView) {
  return {
    id: upload.id,
    lectureId: upload.lectureId,
    fileName: upload.fileName,
    contentType: upload.contentType,
    size: upload.size,
    partSize: upload.partSize,
    partCount: partCount(upload.size, upload.partSize),
    status: upload.status,
    parts: upload.parts.map(({ partNumber, size }) => ({ partNumber, size })),
  };
}

async function loadUpload(c: UploadContext, actor: CurrentUser, id: string) {
  const upload = await getUpload(c.var.services.db, actor, id);
  if (!upload) throw new ApiError("NOT_FOUND", "There is no such upload: it was cancelled, refused or never started.");
  return upload;
}

async function uploadInProgress(c: UploadContext, actor: CurrentUser, id: string) {
  const upload = await loadUpload(c, actor, id);
  if (upload.status !== "uploading") throw new ApiError("CONFLICT", "This upload is finished already.");
  return upload;
}

/** Aborts the upload in R2 (which drops its parts) and forgets it in D1. */
async function discard(c: UploadContext, actor: CurrentUser, upload: UploadWithParts) {
  try {
    await c.env.LECTURE_ASSETS.resumeMultipartUpload(upload.key, upload.r2UploadId).abort();
  } catch (error) {
    // R2 may have dropped it already (aborted twice, or expired): nothing is left to abort.
    c.var.services.log.warn("R2 multipart abort failed", { uploadId: upload.id, error });
  }
  await deleteUpload(c.var.services.db, actor, upload.id);
}

/** Refuses the whole upload: nothing of it stays in R2 or D1. */
async function refuse(
  c: UploadContext,
  actor: CurrentUser,
  upload: UploadWithParts,
  code: "FILE_TOO_LARGE" | "UNSUPPORTED_FILE_TYPE",
  message: string,
): Promise<never> {
  await discard(c, actor, upload);
  throw new ApiError(code, message);
}

/**
 * Part 1 decides what the file is. The R2 upload was started with the type the name
 * suggested; if the bytes say otherwise (and no part is stored yet) it is restarted with
 * the right type, which the video route serves to the browser.
 */
async function identify(c: UploadContext, actor: CurrentUser, upload: UploadWithParts, bytes: Uint8Array) {
  const partial = bytes.length < upload.size;
  const detected = detectFileKind(bytes, LECTURE_FILE_KINDS, { partial });
  if ("refused" in detected) {
    const what =
      detected.refused === UNRECOGNISED
        ? "That file's type is not one we accept."
        : `That file is ${detected.refused}, which lectures do not take.`;
    return refuse(c, actor, upload, "UNSUPPORTED_FILE_TYPE", `${what} ${ACCEPTED_LECTURE_FILES}`);
  }
  const { kind } = detected;
  if (upload.size > maxBytesFor(kind)) {
    return refuse(
      c,
      actor,
      upload,
      "FILE_TOO_LARGE",
      `That file is ${kind.what} of ${megabytes(upload.size)}. ${ACCEPTED_LECTURE_FILES}`,
    );
  }
  let r2UploadId = upload.r2UploadId;
  if (kind.contentType !== upload.contentType) {
    if (upload.parts.length > 0) {
      throw new ApiError("CONFLICT", "This part 1 is a different file from the one sent before. Start a new upload.");
    }
    const bucket = c.env.LECTURE_ASSETS;
    const restarted = await bucket.createMultipartUpload(upload.key, {
      httpMetadata: { contentType: kind.contentType },
    });
    if (!(await replaceR2Upload(c.var.services.db, actor, upload, restarted.uploadId))) {
      await restarted.abort();
      throw new ApiError("CONFLICT", "Part 1 of this upload is being sent twice at once. Send it once.");
    }
    r2UploadId = restarted.uploadId;
    try {
      await bucket.resumeMultipartUpload(upload.key, upload.r2UploadId).abort();
    } catch (error) {
      // Nothing was stored in it; R2 drops unfinished uploads after a week anyway.
      c.var.services.log.warn("R2 multipart abort failed", { uploadId: upload.id, error });
    }
  }
  return {
    r2UploadId,
    identified: { fileName: sanitizeFileName(upload.fileName, kind), contentType: kind.contentType },
  };
}

export const adminUploadsApi = new Hono<AppEnv>()
  .post("/", validate("json", createSchema), async (c) => {
    const actor = await actorOf(c);
    const { db } = c.var.services;
    const input = c.req.valid("json");
    const lecture = await findLecture(db, actor, input.lectureId);
    if (!lecture) throw new ApiError("NOT_FOUND", "There is no such lecture.");

    const fileName = cleanFileName(input.fileName) || "file";
    // Only a hint until part 1 arrives; it lets an obviously oversized file stop here.
    const declaredType = input.contentType?.split(";")[0]?.trim().toLowerCase();
    const hinted =
      kindFromName(fileName, LECTURE_FILE_KINDS) ??
      LECTURE_FILE_KINDS.find((kind) => kind.contentType.split(";")[0] === declaredType);
    if (input.size > maxBytesFor(hinted)) {
      throw new ApiError(
        "FILE_TOO_LARGE",
        `That file is ${megabytes(input.size)}, over the limit for its type. ${ACCEPTED_LECTURE_FILES}`,
      );
    }
    const contentType = hinted?.contentType ?? "application/octet-stream";
    const key = lectureFileKey(lecture.id);
    const multipart = await c.env.LECTURE_ASSETS.createMultipartUpload(key, { httpMetadata: { contentType } });
    const upload = {
      id: crypto.randomUUID(),
      lectureId: lecture.id,
      key,
      r2UploadId: multipart.uploadId,
      fileName,
      contentType,
      size: input.size,
      partSize: PART_SIZE,
    };
    try {
      await insertUpload(db, actor, upload);
    } catch (error) {
      await multipart.abort();
      throw error;
    }
    const created = uploadJson({ ...upload, status: "uploading", parts: [] });
    return c.json({ upload: created }, 201, { "cache-control": "no-store" });
  })
  .get("/:id", validate("param", idParam), async (c) => {
    const upload = await loadUpload(c, await actorOf(c), c.req.valid("param").id);
    return c.json({ upload: uploadJson(upload) }, 200, { "cache-control": "no-store" });
  })
  .put("/:id/parts/:n", validate("param", partParam), async (c) => {
    const { id, n } = c.req.valid("param");
    const actor = await actorOf(c);
    const upload = await uploadInProgress(c, actor, id);
    const expected = expectedPartSize(upload, n);
    if (expected === null) {
      const count = partCount(upload.size, upload.partSize);
      throw new ApiError("BAD_REQUEST", `This upload has parts 1 to ${count}; there is no part ${n}.`);
    }
    if (n > 1 && !upload.parts.some((part) => part.partNumber === 1)) {
      throw new ApiError("CONFLICT", "Send part 1 first: its bytes decide what the file is.");
    }
    const tooLarge = `Part ${n} must be exactly ${expected} bytes; more were sent.`;
    if (Number(c.req.header("content-length")) > expected) throw new ApiError("FILE_TOO_LARGE", tooLarge);
    const bytes = await readExactly(c.req.raw.body, expected);
    if (bytes === "too large") throw new ApiError("FILE_TOO_LARGE", tooLarge);
    if (bytes === "too small") {
      throw new ApiError("BAD_REQUEST", `Part ${n} must be exactly ${expected} bytes; fewer were sent.`);
    }

    let r2UploadId = upload.r2UploadId;
    let identified: { fileName: string; contentType: string } | undefined;
    if (n === 1) {
      ({ r2UploadId, identified } = await identify(c, actor, upload, bytes));
    } else if (upload.contentType.startsWith("text/") && hasBinaryControl(bytes)) {
      // Text is checked all the way through: every part, not only the first.
      await refuse(c, actor, upload, "UNSUPPORTED_FILE_TYPE", `Part ${n} is not text: the file is binary.`);
    }
    const part = await c.env.LECTURE_ASSETS.resumeMultipartUpload(upload.key, r2UploadId).uploadPart(n, bytes);
    await recordUploadPart(
      c.var.services.db,
      actor,
      upload.id,
      { partNumber: n, etag: part.etag, size: bytes.length },
      identified,
    );
    return c.json({ partNumber: n, size: bytes.length }, 200, { "cache-control": "no-store" });
  })
  .post("/:id/complete", validate("param", idParam), async (c) => {
    const actor = await actorOf(c);
    const upload = await uploadInProgress(c, actor, c.req.valid("param").id);
    const stored = new Set(upload.parts.map((part) => part.partNumber));
    const count = partCount(upload.size, upload.partSize);
    const missing = Array.from({ length: count }, (_, index) => index + 1).filter((n) => !stored.has(n));
    if (missing.length > 0) {
      const list = missing.length > 10 ? `${missing.slice(0, 10).join(", ")}, …` : missing.join(", ");
      throw new ApiError("CONFLICT", `Parts ${list} have not arrived yet: send them, then complete the upload.`);
    }
    const received = upload.parts.reduce((sum, part) => sum + part.size, 0);
    if (received !== upload.size) {
      throw new ApiError("CONFLICT", `${received} bytes arrived, but the file was declared as ${upload.size} bytes.`);
    }

    const bucket = c.env.LECTURE_ASSETS;
    const object = await bucket
      .resumeMultipartUpload(upload.key, upload.r2UploadId)
      .complete(upload.parts.map(({ partNumber, etag }) => ({ partNumber, etag })));
    const fileId = crypto.randomUUID();
    try {
      if (object.size !== upload.size) throw new Error(`R2 joined ${object.size} bytes, not ${upload.size}`);
      await recordCompletedUpload(c.var.services.db, actor, upload, fileId);
    } catch (error) {
      // No row may point at a wrong object, and no object may outlive a failed write (unless
      // a simultaneous request for the same upload recorded it).
      if (!(await isFileKeyRecorded(c.var.services.db, upload.key))) await bucket.delete(upload.key);
      throw error;
    }
    const file = { id: fileId, fileName: upload.fileName, contentType: upload.contentType, size: upload.size };
    return c.json({ file }, 201, { "cache-control": "no-store" });
  })
  .delete("/:id", validate("param", idParam), async (c) => {
    const actor = await actorOf(c);
    await discard(c, actor, await uploadInProgress(c, actor, c.req.valid("param").id));
    return c.body(null, 204);
  });
