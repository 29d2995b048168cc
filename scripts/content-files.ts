// Reads db/seed/content from disk (Node only): what the seed loads, and what browser tests
// use to know the content they drive.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ContentFile } from "../db/seed/curriculum.ts";

const contentDir = path.resolve(import.meta.dirname, "../db/seed/content");

/** Every markdown file inside a folder of db/seed/content (FORMAT.md at the top is documentation). */
export async function readContentFiles(): Promise<ContentFile[]> {
  const entries = await readdir(contentDir, { recursive: true });
  const markdown = entries.filter((entry) => entry.endsWith(".md") && entry.includes(path.sep));
  return Promise.all(
    markdown.map(async (entry) => ({
      path: entry.split(path.sep).join("/"),
      source: await readFile(path.join(contentDir, entry), "utf8"),
    })),
  );
}
