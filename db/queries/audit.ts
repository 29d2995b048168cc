import { and, asc, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { auditLog, type AuditEntry } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";

export type AuditEvent = {
  /** Stable dotted code, `<target>.<verb>`: "lecture.update", "student.deactivate". */
  action: `${string}.${string}`;
  targetType: string;
  /** The target's id; a SQL expression when the row is created in the same batch. */
  targetId: string | number | SQL;
  /** One readable sentence for the log page. */
  summary: string;
};

/**
 * The audit entry for an admin action, as a statement to put in the SAME `db.batch` as the
 * change it records: either both are written or neither is.
 */
export function auditStatement(db: Database, actor: CurrentUser, event: AuditEvent) {
  assertAdmin(actor);
  return db.insert(auditLog).values({
    actorId: actor.id,
    actorEmail: actor.email,
    action: event.action,
    targetType: event.targetType,
    targetId: typeof event.targetId === "number" ? String(event.targetId) : event.targetId,
    summary: event.summary,
  });
}

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = {
  /** The last id of the previous page: only older entries. */
  before?: number;
  targetType?: string;
  targetId?: string;
  /** The part of the action before the dot ("lecture" matches "lecture.update"), or a whole action. */
  action?: string;
  /** Who acted, as recorded on the entry (so entries of deleted accounts can still be found). */
  actorEmail?: string;
};

/** One page of entries (one more row than a page, to know whether older ones exist), newest first. */
function auditEntriesQuery(db: Database, filter: AuditFilter) {
  const action = filter.action;
  const conditions = [
    filter.before ? lt(auditLog.id, filter.before) : undefined,
    filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    // A prefix compared with substr rather than LIKE: no wildcard in the input can widen it.
    action
      ? or(eq(auditLog.action, action), sql`substr(${auditLog.action}, 1, ${action.length + 1}) = ${`${action}.`}`)
      : undefined,
    filter.actorEmail ? eq(auditLog.actorEmail, filter.actorEmail) : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
}

function toPage(rows: AuditEntry[]) {
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/** Newest first, a page at a time (`before` is the last id of the previous page). */
export async function listAuditLog(db: Database, actor: CurrentUser, filter: AuditFilter = {}) {
  assertAdmin(actor);
  return toPage(await auditEntriesQuery(db, filter));
}

/**
 * The audit log page in one round trip: a page of entries, and what its filters offer
 * (every action group and every actor that appears in the log).
 */
export async function getAuditLogPage(db: Database, actor: CurrentUser, filter: AuditFilter = {}) {
  assertAdmin(actor);
  const group = sql<string>`substr(${auditLog.action}, 1, instr(${auditLog.action}, '.') - 1)`.as("action_group");
  const [rows, groups, actors] = await db.batch([
    auditEntriesQuery(db, filter),
    db
      .selectDistinct({ group })
      .from(auditLog)
      .orderBy(sql`action_group`),
    db.selectDistinct({ email: auditLog.actorEmail }).from(auditLog).orderBy(asc(auditLog.actorEmail)),
  ]);
  return {
    ...toPage(rows),
    actionGroups: groups.map((row) => row.group).filter((name) => name !== ""),
    actorEmails: actors.map((row) => row.email),
  };
}
