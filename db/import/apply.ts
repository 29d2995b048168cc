import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectures } from "../schema.ts";
import { assertAdmin } from "../queries/admin-guard.ts";
import { auditStatement } from "../queries/audit.ts";
import { lectureTextColumns, lectureVersionStatement } from "../queries/lecture-writes.ts";
import { IMPORT_NOTES, type ImportPlan } from "./plan.ts";

// Writes a plan in one D1 batch: each lecture with its version snapshot, and one audit entry
// for the whole run. Either all of it is written or none of it. One statement per lecture
// keeps every statement far below D1's 100 bound parameters.

export type AppliedImport = { created: number[]; updated: number[] };

export async function applyImportPlan(
  db: Database,
  actor: CurrentUser,
  plan: ImportPlan,
  runId: string,
): Promise<AppliedImport> {
  assertAdmin(actor);
  const note = IMPORT_NOTES[plan.kind];
  const statements: Array<BatchItem<"sqlite">> = [];
  const kinds: Array<"created" | "updated" | null> = [];
  for (const row of plan.rows) {
    const write = row.write;
    if (!write) continue;
    const columns = { ...lectureTextColumns(write.draft), moduleId: write.moduleId, position: write.position };
    if (write.lectureId === null) {
      statements.push(
        db
          .insert(lectures)
          .values({ ...columns, sourceId: write.sourceId })
          .returning({ id: lectures.id }),
        lectureVersionStatement(
          db,
          actor,
          sql`(select id from lectures where source_id = ${write.sourceId})`,
          write.draft,
          note,
        ),
      );
      kinds.push("created", null);
    } else {
      statements.push(
        db
          .update(lectures)
          .set({ ...columns, updatedAt: sql`(unixepoch())` })
          // Still the lecture of this source: an update never lands on another lecture.
          .where(and(eq(lectures.id, write.lectureId), eq(lectures.sourceId, write.sourceId)))
          .returning({ id: lectures.id }),
        lectureVersionStatement(db, actor, write.lectureId, write.draft, note),
      );
      kinds.push("updated", null);
    }
  }
  const { create, update, skip } = plan.counts;
  statements.push(
    auditStatement(db, actor, {
      action: "lecture.import",
      targetType: "import",
      targetId: runId,
      summary: `Imported ${plan.label}: ${create} created, ${update} updated, ${skip} skipped.`,
    }),
  );
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...Array<BatchItem<"sqlite">>])) as unknown[];
  const applied: AppliedImport = { created: [], updated: [] };
  kinds.forEach((kind, index) => {
    const returned = results[index] as Array<{ id: number }>;
    if (kind && returned[0]) applied[kind].push(returned[0].id);
  });
  return applied;
}
