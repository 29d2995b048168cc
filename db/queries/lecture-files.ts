import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectureFiles, lectures, modules, uploadParts, uploads, users, type Upload } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// A lecture's files and the multipart uploads that add them. R2 calls live in
// worker/api/admin-uploads.ts and the files page; these are the D1 reads and writes.

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function findLecture(db: Database, actor: CurrentUser, lectureId: number) {
  assertAdmin(actor);
  const [row] = await db
    .select({ id: lectures.id, title: lectures.title })
    .from(lectures)
    .where(eq(lectures.id, lectureId))
    .limit(1);
  return row;
}

export type NewUpload = Pick<
  Upload,
  "id" | "lectureId" | "key" | "r2UploadId" | "fileName" | "contentType" | "size" | "partSize"
>;

export async function insertUpload(db: Database, actor: CurrentUser, upload: NewUpload) {
  assertAdmin(actor);
  await db.insert(uploads).values({ ...upload, createdBy: actor.id });
}

/** An upload with the parts R2 already has and its lecture's title, in one round trip. */
export async function getUpload(db: Database, actor: CurrentUser, id: string) {
  assertAdmin(actor);
  const [uploadRows, partRows] = await db.batch([
    db
      .select({ upload: uploads, lectureTitle: lectures.title })
      .from(uploads)
      .innerJoin(lectures, eq(lectures.id, uploads.lectureId))
      .where(eq(uploads.id, id))
      .limit(1),
    db
      .select({ partNumber: uploadParts.partNumber, etag: uploadParts.etag, size: uploadParts.size })
      .from(uploadParts)
      .where(eq(uploadParts.uploadId, id))
      .orderBy(asc(uploadParts.partNumber)),
  ]);
  const row = uploadRows[0];
  return row ? { ...row.upload, lectureTitle: row.lectureTitle, parts: partRows } : null;
}

export type UploadWithParts = NonNullable<Awaited<ReturnType<typeof getUpload>>>;

/**
 * Records a part R2 has accepted (sending a part again replaces it, as in R2). The first
 * part also fixes what the file is: its detected type and the name that goes with it.
 */
export async function recordUploadPart(
  db: Database,
  actor: CurrentUser,
  uploadId: string,
  part: { partNumber: number; etag: string; size: number },
  identified?: { fileName: string; contentType: string },
) {
  assertAdmin(actor);
  await db.batch([
    db
      .insert(uploadParts)
      .values({ uploadId, ...part })
      .onConflictDoUpdate({
        target: [uploadParts.uploadId, uploadParts.partNumber],
        set: { etag: part.etag, size: part.size },
      }),
    db
      .update(uploads)
      .set({ ...identified, updatedAt: new Date() })
      .where(eq(uploads.id, uploadId)),
  ]);
}

/** Points the upload at a new R2 multipart upload, unless another request already did. */
export async function replaceR2Upload(db: Database, actor: CurrentUser, upload: Upload, r2UploadId: string) {
  assertAdmin(actor);
  const changed = await db
    .update(uploads)
    .set({ r2UploadId, updatedAt: new Date() })
    .where(and(eq(uploads.id, upload.id), eq(uploads.r2UploadId, upload.r2UploadId)))
    .returning({ id: uploads.id });
  return changed.length === 1;
}

/** Forgets an upload that was abandoned or refused; its parts go with it (cascade). */
export async function deleteUpload(db: Database, actor: CurrentUser, uploadId: string) {
  assertAdmin(actor);
  await db.delete(uploads).where(eq(uploads.id, uploadId));
}

/**
 * The finished upload becomes one of the lecture's files: the file row, the upload marked
 * complete and the audit entry are written together or not at all.
 */
export async function recordCompletedUpload(db: Database, actor: CurrentUser, upload: UploadWithParts, fileId: string) {
  assertAdmin(actor);
  await db.batch([
    db.insert(lectureFiles).values({
      id: fileId,
      lectureId: upload.lectureId,
      key: upload.key,
      fileName: upload.fileName,
      contentType: upload.contentType,
      size: upload.size,
      uploadedBy: actor.id,
    }),
    db
      .update(uploads)
      .set({ status: "complete", updatedAt: new Date() })
      .where(and(eq(uploads.id, upload.id), eq(uploads.status, "uploading"))),
    db.delete(uploadParts).where(eq(uploadParts.uploadId, upload.id)),
    auditStatement(db, actor, {
      action: "lecture_file.upload",
      targetType: "lecture_file",
      targetId: fileId,
      summary: `Uploaded "${upload.fileName}" (${megabytes(upload.size)}) to "${upload.lectureTitle}"`,
    }),
  ]);
}

export async function isFileKeyRecorded(db: Database, key: string) {
  const [row] = await db.select({ id: lectureFiles.id }).from(lectureFiles).where(eq(lectureFiles.key, key)).limit(1);
  return row !== undefined;
}

/** Uploads nobody touched since `before`: the scheduled cleanup aborts them in R2 and forgets them. */
export function listStaleUploads(db: Database, before: Date) {
  return db
    .select({ id: uploads.id, key: uploads.key, r2UploadId: uploads.r2UploadId })
    .from(uploads)
    .where(and(eq(uploads.status, "uploading"), lt(uploads.updatedAt, before)))
    .limit(100);
}

export async function forgetStaleUpload(db: Database, uploadId: string, before: Date) {
  await db
    .delete(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.status, "uploading"), lt(uploads.updatedAt, before)));
}

// ---- The lecture's file library (/admin/lectures/:lectureId/files) --------------------

/** The lecture and its files, newest first, with who uploaded each: one round trip. */
export async function getLectureFileLibrary(db: Database, actor: CurrentUser, lectureId: number) {
  assertAdmin(actor);
  const [lectureRows, fileRows] = await db.batch([
    db
      .select({
        id: lectures.id,
        title: lectures.title,
        slug: lectures.slug,
        /** Whether students can open it: the lecture and its module are both published. */
        live: sql<boolean>`(${lectures.published} = 1 and ${modules.published} = 1)`.mapWith(Boolean).as("live"),
        videoAssetKey: lectures.videoAssetKey,
        moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
        moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      })
      .from(lectures)
      .innerJoin(modules, eq(modules.id, lectures.moduleId))
      .where(eq(lectures.id, lectureId))
      .limit(1),
    db
      .select({
        id: lectureFiles.id,
        key: lectureFiles.key,
        fileName: lectureFiles.fileName,
        contentType: lectureFiles.contentType,
        size: lectureFiles.size,
        createdAt: lectureFiles.createdAt,
        uploaderName: sql<string | null>`${users.name}`.as("uploader_name"),
      })
      .from(lectureFiles)
      .leftJoin(users, eq(users.id, lectureFiles.uploadedBy))
      .where(eq(lectureFiles.lectureId, lectureId))
      .orderBy(desc(lectureFiles.createdAt), asc(lectureFiles.fileName)),
  ]);
  const lecture = lectureRows[0];
  if (!lecture) return null;
  const { videoAssetKey, ...fields } = lecture;
  return {
    lecture: fields,
    // Keys stay on the server; the page only needs to know which file is the video.
    files: fileRows.map(({ key, ...file }) => ({ ...file, isLectureVideo: key === videoAssetKey })),
  };
}

async function findLectureFile(db: Database, lectureId: number, fileId: string) {
  const [file] = await db
    .select({
      key: lectureFiles.key,
      fileName: lectureFiles.fileName,
      contentType: lectureFiles.contentType,
      lectureTitle: lectures.title,
    })
    .from(lectureFiles)
    .innerJoin(lectures, eq(lectures.id, lectureFiles.lectureId))
    .where(and(eq(lectureFiles.id, fileId), eq(lectureFiles.lectureId, lectureId)))
    .limit(1);
  return file;
}

/** Makes a video file of the lecture its video (what the player on the lecture page streams). */
export async function setLectureVideo(db: Database, actor: CurrentUser, lectureId: number, fileId: string) {
  assertAdmin(actor);
  const file = await findLectureFile(db, lectureId, fileId);
  if (!file) return { ok: false, reason: "not_found" } as const;
  if (!file.contentType.startsWith("video/")) return { ok: false, reason: "not_video" } as const;
  try {
    await db.batch([
      // Written first: if the file was deleted meanwhile, the batch is rolled back.
      auditStatement(db, actor, {
        action: "lecture.video",
        targetType: "lecture",
        targetId: auditTarget(sql`select lecture_id from lecture_files where id = ${fileId}`),
        summary: `Made "${file.fileName}" the video of "${file.lectureTitle}"`,
      }),
      db.update(lectures).set({ videoAssetKey: file.key }).where(eq(lectures.id, lectureId)),
    ]);
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return { ok: false, reason: "not_found" } as const;
    throw error;
  }
  return { ok: true, fileName: file.fileName } as const;
}

/**
 * Removes the file's row (and the lecture's video, if it was this file) with its audit
 * entry. Returns the R2 key for the caller to delete once the rows are gone: a failure in
 * between leaves an unreferenced object, never a row pointing at nothing.
 */
export async function deleteLectureFile(db: Database, actor: CurrentUser, lectureId: number, fileId: string) {
  assertAdmin(actor);
  const file = await findLectureFile(db, lectureId, fileId);
  if (!file) return null;
  try {
    await db.batch([
      // Written first: if another admin deleted the file meanwhile, the batch is rolled back.
      auditStatement(db, actor, {
        action: "lecture_file.delete",
        targetType: "lecture_file",
        targetId: auditTarget(sql`select id from lecture_files where id = ${fileId}`),
        summary: `Deleted "${file.fileName}" from "${file.lectureTitle}"`,
      }),
      db.delete(lectureFiles).where(eq(lectureFiles.id, fileId)),
      db
        .update(lectures)
        .set({ videoAssetKey: null })
        .where(and(eq(lectures.id, lectureId), eq(lectures.videoAssetKey, file.key))),
    ]);
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return null;
    throw error;
  }
  return { key: file.key, fileName: file.fileName };
}
