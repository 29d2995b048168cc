import { Inflate } from "fflate";
import * as z from "zod";
import { splitFrontMatter } from "../content/front-matter.ts";
import { slugSchema } from "../content/slug.ts";
import {
  DURATION_MAX_MINUTES,
  LECTURE_BODY_MAX,
  RESERVED_LECTURE_SLUGS,
  SUMMARY_MAX,
  SUMMARY_MIN,
  TITLE_MAX,
  TITLE_MIN,
} from "../queries/admin-content-limits.ts";
import {
  ZIP_FILE_MAX_BYTES,
  ZIP_MAX_BYTES,
  ZIP_MAX_ENTRIES,
  ZIP_MAX_UNCOMPRESSED_BYTES,
  kilobytes,
  megabytes,
} from "./limits.ts";
import { shorten } from "./text.ts";
import { ImportError, type ImportItem, type ImportSource, type RejectedItem } from "./types.ts";

// A zip of markdown files with front matter: lectures kept as code. The archive is read from
// its central directory, so every name and declared size is checked before anything is
// inflated, and inflating stops as soon as a file grows past what it declared (a zip bomb).

type ZipEntry = { name: string; method: number; flags: number; compressedSize: number; size: number; offset: number };
export type ZipFile = { name: string; bytes: Uint8Array } | { name: string; skipped: string };

const WORDS_PER_MINUTE = 200;
/** Compressed input fed to the inflater at a time: bounds how much one step can produce. */
const INFLATE_STEP = 4 * 1024;

/** The archive's files: markdown files inflated, others listed as skipped. Throws ImportError. */
export function readZip(bytes: Uint8Array): ZipFile[] {
  if (bytes.byteLength > ZIP_MAX_BYTES) {
    throw new ImportError(
      `The zip is ${megabytes(bytes.byteLength)}; one import reads at most ${megabytes(ZIP_MAX_BYTES)}.`,
    );
  }
  const entries = centralDirectory(bytes);
  const declared = entries.reduce((total, entry) => total + entry.size, 0);
  if (declared > ZIP_MAX_UNCOMPRESSED_BYTES) {
    throw new ImportError(
      `The zip's files add up to ${megabytes(declared)} once unpacked; one import takes at most ${megabytes(ZIP_MAX_UNCOMPRESSED_BYTES)}.`,
    );
  }
  const files: ZipFile[] = [];
  for (const entry of entries) {
    if (entry.name.endsWith("/") || isSystemFile(entry.name)) continue;
    if (!/\.(md|markdown)$/i.test(entry.name)) {
      files.push({ name: entry.name, skipped: "Not a markdown (.md) file." });
      continue;
    }
    if (entry.size > ZIP_FILE_MAX_BYTES) {
      files.push({
        name: entry.name,
        skipped: `It is ${kilobytes(entry.size)}; files over ${kilobytes(ZIP_FILE_MAX_BYTES)} are not imported.`,
      });
      continue;
    }
    // Each file stops inflating at its declared size, so the total stays within the declared one.
    files.push({ name: entry.name, bytes: entryData(bytes, entry) });
  }
  return files;
}

const u16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Uint8Array, at: number) => (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function centralDirectory(bytes: Uint8Array): ZipEntry[] {
  if (u32(bytes, 0) !== LOCAL_HEADER && u32(bytes, 0) !== END_OF_DIRECTORY) {
    throw new ImportError("This file is not a zip archive.");
  }
  let end = -1;
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 0xffff); at--) {
    if (u32(bytes, at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ImportError("The zip is damaged: its table of contents is missing.");
  const count = u16(bytes, end + 10);
  const offset = u32(bytes, end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ImportError("ZIP64 archives are not supported.");
  if (count > ZIP_MAX_ENTRIES) {
    throw new ImportError(`The zip holds ${count} entries; one import takes at most ${ZIP_MAX_ENTRIES}.`);
  }
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.byteLength || u32(bytes, at) !== DIRECTORY_ENTRY) {
      throw new ImportError("The zip is damaged: its table of contents is unreadable.");
    }
    const nameLength = u16(bytes, at + 28);
    const entry: ZipEntry = {
      flags: u16(bytes, at + 8),
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      offset: u32(bytes, at + 42),
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    checkName(entry.name);
    if (entry.flags & 1) throw new ImportError(`The zip's file "${entry.name}" is encrypted.`);
    entries.push(entry);
    at += 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return entries;
}

/** Names that would leave the folder they are unpacked into are refused, whatever the file is. */
function checkName(name: string) {
  const unsafe =
    name.length === 0 ||
    /[\p{Cc}\\]/u.test(name) ||
    name.startsWith("/") ||
    /^[a-z]:/i.test(name) ||
    name.split("/").some((segment) => segment === "..");
  if (unsafe) {
    throw new ImportError(
      `The zip holds an entry named "${name.replace(/\p{Cc}/gu, "?")}": absolute paths, backslashes and ".." are refused.`,
    );
  }
}

/** macOS resource forks and dotfiles that archivers add on their own. */
const isSystemFile = (name: string) =>
  name.startsWith("__MACOSX/") || name.split("/").some((part) => part.startsWith("."));

function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (u32(bytes, entry.offset) !== LOCAL_HEADER) throw new ImportError(`The zip is damaged at "${entry.name}".`);
  const start = entry.offset + 30 + u16(bytes, entry.offset + 26) + u16(bytes, entry.offset + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.byteLength) throw new ImportError(`The zip is damaged at "${entry.name}".`);
  const compressed = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (compressed.byteLength !== entry.size) throw new ImportError(`The zip is damaged at "${entry.name}".`);
    return compressed;
  }
  if (entry.method !== 8) {
    throw new ImportError(`The zip's file "${entry.name}" uses a compression method imports cannot read.`);
  }
  return inflateBounded(compressed, entry);
}

/** Inflates a little at a time and stops the moment the output outgrows the declared size. */
function inflateBounded(compressed: Uint8Array, entry: ZipEntry): Uint8Array {
  const output = new Uint8Array(entry.size);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.byteLength > entry.size) overflow = true;
    else output.set(chunk, written);
    written += chunk.byteLength;
  });
  try {
    for (let at = 0; at < compressed.byteLength && !overflow; at += INFLATE_STEP) {
      const end = Math.min(at + INFLATE_STEP, compressed.byteLength);
      inflater.push(compressed.subarray(at, end), end === compressed.byteLength);
    }
  } catch {
    throw new ImportError(`The zip is damaged: "${entry.name}" cannot be unpacked.`);
  }
  if (overflow) {
    throw new ImportError(
      `The zip's file "${entry.name}" unpacks to more than the ${kilobytes(entry.size)} it declares.`,
    );
  }
  if (written !== entry.size) throw new ImportError(`The zip is damaged: "${entry.name}" is incomplete.`);
  return output;
}

const flag = z.enum(["true", "false"], { error: "must be true or false" }).transform((value) => value === "true");

const frontMatter = z.object({
  title: z
    .string({ error: "is missing" })
    .min(TITLE_MIN, `must have at least ${TITLE_MIN} characters`)
    .max(TITLE_MAX, `must have at most ${TITLE_MAX} characters`),
  slug: slugSchema.refine((slug) => !RESERVED_LECTURE_SLUGS.includes(slug), "is the name of a module page"),
  module: slugSchema,
  position: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be 1 or more")
    .max(9999, "must be at most 9999"),
  summary: z
    .string()
    .min(SUMMARY_MIN, `must have at least ${SUMMARY_MIN} characters`)
    .max(SUMMARY_MAX, `must have at most ${SUMMARY_MAX} characters`)
    .optional(),
  duration: z.coerce
    .number({ error: "must be a whole number of minutes" })
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1 minute")
    .max(DURATION_MAX_MINUTES, `must be at most ${DURATION_MAX_MINUTES} minutes`)
    .optional(),
  preview: flag.optional(),
  published: flag.optional(),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]{0,99}$/, "must be letters, digits, dots, dashes or underscores")
    .optional(),
});

/** The archive's markdown files as lectures; each names its module in its front matter. */
export function zipSource(files: ZipFile[], fileName: string): ImportSource {
  const items: ImportItem[] = [];
  const rejected: RejectedItem[] = [];
  for (const file of files) {
    if ("skipped" in file) {
      rejected.push({ origin: file.name, title: "", reason: file.skipped });
      continue;
    }
    const result = zipItem(file.name, file.bytes);
    if ("reason" in result) rejected.push(result);
    else items.push(result);
  }
  return { kind: "zip", label: `the zip ${fileName}`, items, rejected };
}

function zipItem(name: string, bytes: Uint8Array): ImportItem | RejectedItem {
  let source: string;
  try {
    source = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { origin: name, title: "", reason: "It is not UTF-8 text." };
  }
  const { fields, body } = splitFrontMatter(source);
  const reject = (reason: string): RejectedItem => ({ origin: name, title: fields.title ?? "", reason });
  const parsed = frontMatter.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join(".");
      return `${key} ${fields[key] === undefined ? "is missing" : issue.message}`;
    });
    return reject(`Its front matter is invalid: ${problems.join("; ")}.`);
  }
  const markdown = body.trim();
  if (!markdown) return reject("It has no text after its front matter.");
  if (markdown.length > LECTURE_BODY_MAX) {
    return reject(
      `It has ${markdown.length.toLocaleString("en")} characters; a lecture has at most ${LECTURE_BODY_MAX.toLocaleString("en")}.`,
    );
  }
  const meta = parsed.data;
  const summary = meta.summary ?? shorten(firstParagraph(markdown), SUMMARY_MAX);
  if (summary.length < SUMMARY_MIN)
    return reject("Add a summary to its front matter: its text has no paragraph to take one from.");
  const words = markdown.split(/\s+/).filter(Boolean).length;
  return {
    origin: name,
    sourceId: meta.id ? `zip:${meta.id}` : `zip:${meta.module}/${meta.slug}`,
    moduleSlug: meta.module,
    title: meta.title,
    slug: meta.slug,
    position: meta.position,
    summary,
    bodyMarkdown: markdown,
    durationMinutes: meta.duration ?? Math.min(DURATION_MAX_MINUTES, Math.max(1, Math.ceil(words / WORDS_PER_MINUTE))),
    published: meta.published ?? false,
    freePreview: meta.preview ?? false,
  };
}

/** The first plain paragraph of markdown, without its inline markup. */
function firstParagraph(markdown: string): string {
  let inFence = false;
  const paragraph: string[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const fence = /^\s*(```|~~~)/.test(line);
    if (!inFence && !fence && line.trim() && !/^\s*([#>|<*+-]|\d+\.)/.test(line)) {
      paragraph.push(line.trim());
      continue;
    }
    if (paragraph.length > 0) break;
    if (fence) inFence = !inFence;
  }
  return paragraph
    .join(" ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "");
}
