import { env, exports } from "cloudflare:workers";
import { createDatabase } from "../../db/client.ts";
import { seedContent } from "../../db/seed/content.ts";
import { parseCurriculum, upsertCurriculum, type ContentFile } from "../../db/seed/curriculum.ts";

const contentModules = import.meta.glob<string>("../../db/seed/content/*/*.md", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The real seed curriculum, rendered by the markdown pipeline inside workerd. */
export function seedFiles(): ContentFile[] {
  return Object.entries(contentModules).map(([path, source]) => ({
    path: path.replace("../../db/seed/content/", ""),
    source,
  }));
}

export function testDatabase() {
  return createDatabase(env.DB);
}

export async function seedDemoCurriculum() {
  return upsertCurriculum(testDatabase(), parseCurriculum(seedFiles()));
}

/** The curriculum with its quizzes and projects, and the interview bank: all the seed content. */
export async function seedAllContent() {
  return seedContent(testDatabase(), seedFiles());
}

/** A request to the real Worker entry (Hono + Remix), as a browser on this origin sends it. */
export function request(path: string, init: RequestInit = {}) {
  return exports.default.fetch(new Request(new URL(path, "http://school.test"), { redirect: "manual", ...init }));
}

export function serverTiming(response: Response): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const part of (response.headers.get("server-timing") ?? "").split(",")) {
    const [name, ...params] = part.trim().split(";");
    const desc = params
      .find((param) => param.startsWith("desc="))
      ?.slice(5)
      .replaceAll('"', "");
    const dur = params.find((param) => param.startsWith("dur="))?.slice(4);
    if (name) entries[name] = desc ?? dur ?? "";
  }
  return entries;
}
