// The optional file attached to a project submission. Its type is decided from its
// bytes, never from the name or the type the browser claims, and it is only ever served
// back as a download (see app/routes/submissions.$submission.file.ts).

import {
  detectFileKind,
  JPEG,
  PDF,
  PNG,
  randomHex,
  sanitizeFileName,
  TEXT,
  UNRECOGNISED,
  WEBP,
  ZIP,
} from "./file-kinds.ts";

export const SUBMISSION_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_FILES = "a PDF, PNG, JPEG, WebP, ZIP or plain-text (.txt, .md) file of up to 10 MB";

/** What a submission may attach; detection and names come from ./file-kinds.ts. */
const SUBMISSION_KINDS = [PDF, PNG, JPEG, WEBP, ZIP, TEXT];

export type ValidatedFile = { bytes: Uint8Array; name: string; type: string; size: number };

export type FileCheck = { ok: true; file: ValidatedFile | null } | { ok: false; message: string };

function formatMegabytes(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Checks the form's file field. No file chosen (browsers send an empty, unnamed part) is
 * fine: the attachment is optional.
 */
export async function validateSubmissionFile(value: FormDataEntryValue | null): Promise<FileCheck> {
  if (value === null || value === "") return { ok: true, file: null };
  if (typeof value === "string") return { ok: false, message: `Choose a file to upload: ${ACCEPTED_FILES}.` };
  if (value.size === 0 && value.name === "") return { ok: true, file: null };
  if (value.size === 0) return { ok: false, message: "That file is empty. Choose the file again." };
  if (value.size > SUBMISSION_FILE_MAX_BYTES) {
    return {
      ok: false,
      message: `That file is ${formatMegabytes(value.size)}; files can be up to 10 MB. Link larger files from your repository instead.`,
    };
  }
  const bytes = new Uint8Array(await value.arrayBuffer());
  const detected = detectFileKind(bytes, SUBMISSION_KINDS);
  if ("refused" in detected) {
    const what =
      detected.refused === UNRECOGNISED
        ? "That file's type is not one we accept."
        : `That file is ${detected.refused}, which we do not accept.`;
    return { ok: false, message: `${what} Upload ${ACCEPTED_FILES}.` };
  }
  const { kind } = detected;
  return {
    ok: true,
    file: { bytes, name: sanitizeFileName(value.name, kind), type: kind.contentType, size: bytes.length },
  };
}

/** Chosen by the server: nothing a student sends ends up in the key. */
export function submissionFileKey(userId: string, submissionId: string) {
  return `submissions/${userId}/${submissionId}/${randomHex(16)}`;
}

/**
 * Stores the file in R2, then makes the D1 write. If the write throws or is refused,
 * the object is deleted again, so a failure leaves neither an orphaned object nor a row
 * pointing at nothing. Validate everything before calling this.
 */
export async function putThenRecord<T>(
  bucket: R2Bucket,
  upload: { key: string; file: ValidatedFile } | null,
  record: () => Promise<T>,
  recorded: (result: T) => boolean,
): Promise<T> {
  if (!upload) return record();
  await bucket.put(upload.key, upload.file.bytes, { httpMetadata: { contentType: upload.file.type } });
  let result: T;
  try {
    result = await record();
  } catch (error) {
    await bucket.delete(upload.key);
    throw error;
  }
  if (!recorded(result)) await bucket.delete(upload.key);
  return result;
}
