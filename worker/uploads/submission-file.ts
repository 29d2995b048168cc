// The optional file attached to a project submission. Its type is decided from its
// bytes, never from the name or the type the browser claims, and it is only ever served
// back as a download (see app/routes/submissions.$submission.file.ts).

export const SUBMISSION_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_FILES = "a PDF, PNG, JPEG, WebP, ZIP or plain-text (.txt, .md) file of up to 10 MB";

type Kind = { contentType: string; extensions: string[] };

const PDF: Kind = { contentType: "application/pdf", extensions: ["pdf"] };
const PNG: Kind = { contentType: "image/png", extensions: ["png"] };
const JPEG: Kind = { contentType: "image/jpeg", extensions: ["jpg", "jpeg"] };
const WEBP: Kind = { contentType: "image/webp", extensions: ["webp"] };
const ZIP: Kind = { contentType: "application/zip", extensions: ["zip"] };
const TEXT: Kind = { contentType: "text/plain; charset=utf-8", extensions: ["txt", "md", "markdown", "log"] };

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

/** Signatures at offset 0 (`null` matches any byte). */
const SIGNATURES: Array<{ bytes: Array<number | null>; kind: Kind }> = [
  { bytes: ascii("%PDF-"), kind: PDF },
  { bytes: [0x89, ...ascii("PNG\r\n"), 0x1a, 0x0a], kind: PNG },
  { bytes: [0xff, 0xd8, 0xff], kind: JPEG },
  { bytes: [...ascii("RIFF"), null, null, null, null, ...ascii("WEBP")], kind: WEBP },
  { bytes: ascii("PK\x03\x04"), kind: ZIP },
  // An empty archive has only the end-of-central-directory record.
  { bytes: ascii("PK\x05\x06"), kind: ZIP },
];

/** Well-known types we refuse, named so the message can say what the file is. */
const REFUSED: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x7f, ...ascii("ELF")], what: "a Linux program (ELF)" },
  { bytes: ascii("MZ"), what: "a Windows program (PE)" },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: "a macOS program (Mach-O)" },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], what: "a macOS program (Mach-O)" },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: "a macOS or Java program" },
  { bytes: ascii("GIF8"), what: "a GIF image" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
];

const UNRECOGNISED = "a type we do not recognise";

const startsWith = (bytes: Uint8Array, signature: Array<number | null>) =>
  bytes.length >= signature.length && signature.every((byte, index) => byte === null || bytes[index] === byte);

// Text may hold tabs, line breaks, form feeds and ANSI colour codes (pasted terminal
// output); any other control character, NUL above all, means a binary file. Bytes below
// 0x20 never occur inside multi-byte UTF-8 sequences, so the raw bytes can be checked.
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);
const hasBinaryControl = (bytes: Uint8Array) => bytes.some((byte) => byte < 0x20 && !TEXT_CONTROLS.has(byte));

function detectText(bytes: Uint8Array): { kind: Kind } | { refused: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { refused: UNRECOGNISED };
  }
  if (hasBinaryControl(bytes)) return { refused: UNRECOGNISED };
  // A browser would render markup (HTML, SVG, XML) and run its scripts if it ever
  // opened the file inline: plain text only.
  if (text.trimStart().startsWith("<")) return { refused: "an HTML, SVG or XML document" };
  return { kind: TEXT };
}

/** What the bytes are: an accepted kind, or a description of what was refused. */
export function detectFileKind(bytes: Uint8Array): { kind: Kind } | { refused: string } {
  const signature = SIGNATURES.find((entry) => startsWith(bytes, entry.bytes));
  if (signature) return { kind: signature.kind };
  const refused = REFUSED.find((entry) => startsWith(bytes, entry.bytes));
  if (refused) return { refused: refused.what };
  return detectText(bytes);
}

/**
 * A display name safe for a Content-Disposition header and a page: no path, no control
 * or reserved characters, at most 100 characters, and an extension that matches what
 * the file really is (a PDF called `report.exe` is kept as `report.exe.pdf`).
 */
export function sanitizeFileName(original: string, kind: Kind): string {
  const base = (original.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}"*:<>?|]+/gu, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const stem = (kind.extensions.includes(extension) ? base.slice(0, dot) : base) || "attachment";
  const suffix = kind.extensions.includes(extension) ? extension : kind.extensions[0]!;
  return `${Array.from(stem).slice(0, 90).join("")}.${suffix}`;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

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
  const detected = detectFileKind(bytes);
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

function randomHex(bytes: number) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
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
