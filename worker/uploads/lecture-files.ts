import {
  GIF,
  JPEG,
  MOV,
  MP4,
  PDF,
  PNG,
  randomHex,
  TEXT,
  WEBM,
  WEBP,
  WEBVTT,
  ZIP,
  type FileKind,
} from "./file-kinds.ts";

// Files an admin attaches to a lecture (worker/api/admin-uploads.ts). They go to R2 as
// multipart uploads, so a large video survives a dropped connection: each part is
// recorded once R2 has it, and a resumed upload sends only the rest.

export const LECTURE_FILE_KINDS: readonly FileKind[] = [MP4, MOV, WEBM, PDF, PNG, JPEG, WEBP, GIF, ZIP, TEXT, WEBVTT];

const MIB = 1024 * 1024;
export const VIDEO_MAX_BYTES = 2048 * MIB;
export const OTHER_MAX_BYTES = 100 * MIB;

/**
 * Every part but the last has exactly this size. R2 wants at least 5 MiB for all parts but
 * the last, and the same size for all of them; 8 MiB keeps a 2 GiB video at 256 parts and
 * a lost part cheap to send again.
 */
export const PART_SIZE = 8 * MIB;

export const ACCEPTED_LECTURE_FILES =
  "Videos (MP4, MOV, WebM) up to 2 GB; PDF, PNG, JPEG, WebP, GIF, ZIP, plain text, Markdown and WebVTT up to 100 MB.";

export const maxBytesFor = (kind: FileKind | undefined) => (kind && !kind.video ? OTHER_MAX_BYTES : VIDEO_MAX_BYTES);

/** The largest size any lecture file may have: the up-front check before the bytes say what it is. */
export const LECTURE_FILE_MAX_BYTES = VIDEO_MAX_BYTES;

/** Chosen by the server: nothing an admin sends (a file name above all) ends up in the key. */
export function lectureFileKey(lectureId: number) {
  return `lectures/${lectureId}/files/${randomHex(16)}`;
}

export function partCount(size: number, partSize: number) {
  return Math.max(1, Math.ceil(size / partSize));
}

/** The exact size part `partNumber` must have, or null when the upload has no such part. */
export function expectedPartSize(upload: { size: number; partSize: number }, partNumber: number): number | null {
  const count = partCount(upload.size, upload.partSize);
  if (partNumber < 1 || partNumber > count) return null;
  return partNumber < count ? upload.partSize : upload.size - (count - 1) * upload.partSize;
}

/**
 * Reads a request body of exactly `expected` bytes. Stops reading (and says "too large")
 * as soon as more arrive, so an oversized body is never buffered whole.
 */
export async function readExactly(
  body: ReadableStream<Uint8Array> | null,
  expected: number,
): Promise<Uint8Array | "too large" | "too small"> {
  const bytes = new Uint8Array(expected);
  let received = 0;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > expected) {
        await reader.cancel();
        return "too large";
      }
      bytes.set(value, received);
      received += value.length;
    }
  }
  return received === expected ? bytes : "too small";
}
