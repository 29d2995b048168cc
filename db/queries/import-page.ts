import { eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectures, modules } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";

/**
 * The import page in one round trip: the modules a feed can go into and, after an import,
 * the lectures it created or updated.
 */
export async function getImportPage(db: Database, actor: CurrentUser, lectureIds: number[]) {
  assertAdmin(actor);
  const [moduleRows, lectureRows] = await db.batch([
    db.select({ slug: modules.slug, title: modules.title }).from(modules).orderBy(modules.position),
    db
      .select({
        id: lectures.id,
        title: lectures.title,
        slug: lectures.slug,
        published: lectures.published,
        // Aliased: D1 returns rows keyed by column name, and lectures have a title too.
        moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      })
      .from(lectures)
      .innerJoin(modules, eq(modules.id, lectures.moduleId))
      // One bound parameter however many lectures an import touched.
      .where(sql`${lectures.id} in (select value from json_each(${JSON.stringify(lectureIds)}))`)
      .orderBy(modules.position, lectures.position),
  ]);
  return { modules: moduleRows, lectures: lectureRows };
}
