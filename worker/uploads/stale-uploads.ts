import type { Database } from "../../db/client.ts";
import { forgetStaleUpload, listStaleUploads } from "../../db/queries/lecture-files.ts";

const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Lecture file uploads nobody has touched for a week are given up: aborted in R2 (which
 * drops their parts) and forgotten in D1. Run from the cron trigger; a few at a time.
 */
export async function abortStaleUploads(env: Env, db: Database, now = new Date()) {
  const before = new Date(now.getTime() - STALE_AFTER_MS);
  const stale = await listStaleUploads(db, before);
  let failed = 0;
  for (const upload of stale) {
    try {
      await env.LECTURE_ASSETS.resumeMultipartUpload(upload.key, upload.r2UploadId).abort();
    } catch {
      // R2 may have expired the upload already; there is nothing left to abort.
      failed++;
    }
    await forgetStaleUpload(db, upload.id, before);
  }
  return { aborted: stale.length, alreadyGone: failed };
}
