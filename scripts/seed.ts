// Seeds the local D1 database (the same on-disk state `wrangler dev` uses) with the
// curriculum in db/seed/content. Idempotent: run it as often as you like.
//   node scripts/seed.ts [--persist-to DIR]   (DIR as given to `wrangler dev --persist-to`)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { AnyD1Database } from "drizzle-orm/d1";
import { getPlatformProxy } from "wrangler";
import { createDatabase } from "../db/client.ts";
import { enrollStudentByAdmin } from "../db/queries/cohorts.ts";
import { upsertDemoCohorts } from "../db/seed/cohorts.ts";
import { seedContent } from "../db/seed/content.ts";
import { readContentFiles } from "./content-files.ts";
import { parseCurriculum, videoKey } from "../db/seed/curriculum.ts";
import { DEMO_USERS, enrollStatement, upsertUserStatements } from "../db/seed/user-statements.ts";
import { hashPassword } from "../worker/auth/password.ts";

const { values: options } = parseArgs({ options: { "persist-to": { type: "string" } } });
const persistTo = options["persist-to"];

const started = performance.now();
const files = await readContentFiles();
const curriculum = parseCurriculum(files);
const mediaDir = path.resolve(import.meta.dirname, "../db/seed/media");
const CONTENT_TYPES: Record<string, string> = { webm: "video/webm", mp4: "video/mp4" };
// The part of an R2 binding the seed uses (Node has no Workers types).
type Bucket = {
  put(key: string, value: Uint8Array, options: { httpMetadata: { contentType?: string } }): Promise<unknown>;
};

const platform = await getPlatformProxy<{ DB: AnyD1Database; LECTURE_ASSETS: Bucket }>({
  // wrangler keeps its state in a v3 folder under --persist-to.
  persist: persistTo ? { path: path.join(path.resolve(persistTo), "v3") } : true,
});
try {
  for (const module of curriculum) {
    for (const lecture of module.lectures) {
      if (!lecture.video) continue;
      const key = videoKey(module.slug, lecture.slug, lecture.video);
      const bytes = await readFile(path.join(mediaDir, lecture.video));
      // Every video ships with captions (db/seed/media/<video>.vtt); a missing file stops the seed.
      const captions = await readFile(path.join(mediaDir, `${lecture.video}.vtt`));
      await platform.env.LECTURE_ASSETS.put(key, bytes, {
        httpMetadata: { contentType: CONTENT_TYPES[lecture.video.split(".").pop()!] },
      });
      await platform.env.LECTURE_ASSETS.put(`${key}.vtt`, captions, { httpMetadata: { contentType: "text/vtt" } });
    }
  }
  const db = createDatabase(platform.env.DB);
  const counts = await seedContent(db, files);
  // Dated from now on every run, so the demo always has a running and an enrolling batch.
  await upsertDemoCohorts(db);
  const userStatements = [];
  for (const user of DEMO_USERS) {
    const passwordHash = await hashPassword(user.password);
    const ids = { id: crypto.randomUUID(), accountId: crypto.randomUUID() };
    userStatements.push(...upsertUserStatements({ ...user, ...ids, passwordHash }, { replacePassword: true }));
    if (user.role === "student" && !user.cohort) {
      userStatements.push(enrollStatement(user.email, crypto.randomUUID()));
    }
  }
  await platform.env.DB.batch(userStatements.map((statement) => platform.env.DB.prepare(statement)));
  // Cohort students take a seat through the same capacity-safe statement the admin uses.
  const admin = DEMO_USERS.find((user) => user.role === "admin")!;
  const adminRow = await platform.env.DB.prepare("SELECT id FROM users WHERE email = ?")
    .bind(admin.email)
    .first<{ id: string }>();
  for (const user of DEMO_USERS) {
    if (!user.cohort) continue;
    const actor = { id: adminRow!.id, name: admin.name, email: admin.email, role: admin.role, emailVerified: true };
    const result = await enrollStudentByAdmin(db, actor, user.email, user.cohort);
    if (!result.ok && result.reason !== "already_enrolled") {
      throw new Error(`Could not put ${user.email} into ${user.cohort}: ${result.reason}`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Seeded ${counts.modules} modules, ${counts.lectures} lectures, ${counts.quizzes} quizzes, ${counts.projects} projects, ` +
      `${counts.interviewQuestions} interview questions, 2 cohorts and ${DEMO_USERS.length} demo accounts in ${seconds} s.`,
  );
} finally {
  await platform.dispose();
}
