// What an uploaded file is, decided from its bytes, never from its name or the type the
// browser claims. Each kind of upload (a project submission's attachment, a lecture's
// files) accepts its own list of kinds; files are only ever served back as downloads or,
// for lecture videos, to a <video> element.

export type FileKind = {
  contentType: string;
  /** The first is the one a name gets when its own extension does not match. */
  extensions: string[];
  /** How a refusal names it: "a GIF image". */
  what: string;
  video?: true;
};

export const PDF: FileKind = { contentType: "application/pdf", extensions: ["pdf"], what: "a PDF document" };
export const PNG: FileKind = { contentType: "image/png", extensions: ["png"], what: "a PNG image" };
export const JPEG: FileKind = { contentType: "image/jpeg", extensions: ["jpg", "jpeg"], what: "a JPEG image" };
export const WEBP: FileKind = { contentType: "image/webp", extensions: ["webp"], what: "a WebP image" };
export const GIF: FileKind = { contentType: "image/gif", extensions: ["gif"], what: "a GIF image" };
export const ZIP: FileKind = { contentType: "application/zip", extensions: ["zip"], what: "a ZIP archive" };
export const MP4: FileKind = {
  contentType: "video/mp4",
  extensions: ["mp4", "m4v"],
  what: "an MP4 video",
  video: true,
};
export const MOV: FileKind = {
  contentType: "video/quicktime",
  extensions: ["mov"],
  what: "a QuickTime video",
  video: true,
};
export const WEBM: FileKind = { contentType: "video/webm", extensions: ["webm"], what: "a WebM video", video: true };
export const TEXT: FileKind = {
  contentType: "text/plain; charset=utf-8",
  extensions: ["txt", "md", "markdown", "log"],
  what: "a text file",
};
export const WEBVTT: FileKind = {
  contentType: "text/vtt; charset=utf-8",
  extensions: ["vtt"],
  what: "WebVTT captions",
};

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

/** Signatures at offset 0 (`null` matches any byte). */
const SIGNATURES: Array<{ bytes: Array<number | null>; kind: FileKind }> = [
  { bytes: ascii("%PDF-"), kind: PDF },
  { bytes: [0x89, ...ascii("PNG\r\n"), 0x1a, 0x0a], kind: PNG },
  { bytes: [0xff, 0xd8, 0xff], kind: JPEG },
  { bytes: [...ascii("RIFF"), null, null, null, null, ...ascii("WEBP")], kind: WEBP },
  { bytes: ascii("GIF87a"), kind: GIF },
  { bytes: ascii("GIF89a"), kind: GIF },
  { bytes: ascii("PK\x03\x04"), kind: ZIP },
  // An empty archive has only the end-of-central-directory record.
  { bytes: ascii("PK\x05\x06"), kind: ZIP },
  // Matroska's EBML header; WebM is the Matroska profile browsers play.
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], kind: WEBM },
  // ISO base media files open with a box whose type is `ftyp`; its major brand says which.
  { bytes: [null, null, null, null, ...ascii("ftypqt  ")], kind: MOV },
];

/** `ftyp` brands of still images and audio, which share the MP4 container but are not videos. */
const NOT_VIDEO_BRANDS: Record<string, string> = {
  heic: "an HEIC image",
  heix: "an HEIC image",
  mif1: "an HEIF image",
  msf1: "an HEIF image",
  avif: "an AVIF image",
  "M4A ": "an audio file",
};

/** Well-known types nobody may upload, named so the message can say what the file is. */
const REFUSED: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x7f, ...ascii("ELF")], what: "a Linux program (ELF)" },
  { bytes: ascii("MZ"), what: "a Windows program (PE)" },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: "a macOS program (Mach-O)" },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], what: "a macOS program (Mach-O)" },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: "a macOS or Java program" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
];

export const UNRECOGNISED = "a type we do not recognise";

const startsWith = (bytes: Uint8Array, signature: Array<number | null>) =>
  bytes.length >= signature.length && signature.every((byte, index) => byte === null || bytes[index] === byte);

function detectContainer(bytes: Uint8Array): FileKind | { refused: string } | null {
  const signature = SIGNATURES.find((entry) => startsWith(bytes, entry.bytes));
  if (signature) return signature.kind;
  if (!startsWith(bytes, [null, null, null, null, ...ascii("ftyp")]) || bytes.length < 12) return null;
  const brand = String.fromCharCode(...bytes.subarray(8, 12));
  const other = NOT_VIDEO_BRANDS[brand];
  return other ? { refused: other } : MP4;
}

// Text may hold tabs, line breaks, form feeds and ANSI colour codes (pasted terminal
// output); any other control character, NUL above all, means a binary file. Bytes below
// 0x20 never occur inside multi-byte UTF-8 sequences, so the raw bytes can be checked,
// and so can any slice of a file.
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);
export const hasBinaryControl = (bytes: Uint8Array) => bytes.some((byte) => byte < 0x20 && !TEXT_CONTROLS.has(byte));

function detectText(bytes: Uint8Array, accepted: readonly FileKind[], partial: boolean) {
  let text: string;
  try {
    // The first part of a larger file may end inside a multi-byte character: `stream`
    // leaves an incomplete sequence at the end for the next chunk instead of failing.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: partial });
  } catch {
    return { refused: UNRECOGNISED };
  }
  if (hasBinaryControl(bytes)) return { refused: UNRECOGNISED };
  // A browser would render markup (HTML, SVG, XML) and run its scripts if it ever
  // opened the file inline: plain text only.
  if (text.trimStart().startsWith("<")) return { refused: "an HTML, SVG or XML document" };
  if (/^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text) && accepted.includes(WEBVTT)) return { kind: WEBVTT };
  return accepted.includes(TEXT) ? { kind: TEXT } : { refused: TEXT.what };
}

/**
 * What the bytes are: one of the `accepted` kinds, or a description of what was refused.
 * `partial` says the bytes are only the start of the file (the first part of an upload).
 */
export function detectFileKind(
  bytes: Uint8Array,
  accepted: readonly FileKind[],
  { partial = false }: { partial?: boolean } = {},
): { kind: FileKind } | { refused: string } {
  const container = detectContainer(bytes);
  if (container && "refused" in container) return container;
  if (container) return accepted.includes(container) ? { kind: container } : { refused: container.what };
  const refused = REFUSED.find((entry) => startsWith(bytes, entry.bytes));
  if (refused) return { refused: refused.what };
  return detectText(bytes, accepted, partial);
}

/** The kind a file name's extension claims; only a hint (for early size checks), never trusted. */
export function kindFromName(name: string, accepted: readonly FileKind[]): FileKind | undefined {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return extension ? accepted.find((kind) => kind.extensions.includes(extension)) : undefined;
}

const trimName = (name: string) => name.replace(/^[\s.]+|[\s.]+$/g, "");

/**
 * A name with no path, no control or reserved characters, no leading or trailing dots or
 * spaces, and at most 255 characters: "../../etc/passwd" becomes "passwd".
 */
export function cleanFileName(original: string): string {
  const name = (original.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    // Control characters, reserved characters, and bidi overrides that could make
    // "gpj.exe" read as "exe.jpg".
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069"*:<>?|]+/gu, "")
    .replace(/\s+/g, " ");
  return trimName(Array.from(name).slice(0, 255).join(""));
}

/**
 * A display name safe for a Content-Disposition header and a page (see `cleanFileName`),
 * at most 100 characters, and with an extension that matches what the file really is (a
 * PDF called `report.exe` is kept as `report.exe.pdf`).
 */
export function sanitizeFileName(original: string, kind: FileKind): string {
  const base = cleanFileName(original);
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const matches = kind.extensions.includes(extension);
  const stem = trimName(
    Array.from(matches ? base.slice(0, dot) : base)
      .slice(0, 90)
      .join(""),
  );
  return `${stem || "attachment"}.${matches ? extension : kind.extensions[0]!}`;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A random hex string for server-chosen keys: nothing a user sends ends up in a key. */
export function randomHex(bytes: number) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
}
