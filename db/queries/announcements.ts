import { sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import { batchable, type Database } from "../client.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// Announcements go to everyone (cohort_id null) or to one cohort. A member reads those to
// everyone and those to any cohort they have an active enrolment in; admins read all.

export const ANNOUNCEMENTS_PAGE_SIZE = 20;
/** At most this many come back from one catch-up request (the newest ones). */
export const CATCH_UP_LIMIT = 50;

export type AnnouncementView = {
  id: number;
  cohortId: number | null;
  cohortName: string | null;
  title: string;
  html: string;
  authorName: string | null;
  createdAt: number;
};

/** True for the announcements `viewer` may read (used in `where`). */
function visibleToSql(viewer: CurrentUser): SQL {
  if (viewer.role === "admin") return sql`1`;
  return sql`(a.cohort_id is null or a.cohort_id in (
    select cohort_id from enrollments
    where user_id = ${viewer.id} and status = 'active' and cohort_id is not null))`;
}

const SELECT_VIEW = sql`select a.id, a.cohort_id as cohortId, c.name as cohortName, a.title, a.body_html as html,
    u.name as authorName, a.created_at as createdAt
  from announcements a
  left join cohorts c on c.id = a.cohort_id
  left join users u on u.id = a.author_id`;

export type NewAnnouncement = { title: string; bodyMarkdown: string; cohortId: number | null };

/**
 * Stores an announcement with its HTML rendered once, here, in one batch with its audit
 * entry. Admins only; null (and nothing written) when the audience cohort does not exist.
 */
export async function createAnnouncement(
  db: Database,
  actor: CurrentUser,
  input: NewAnnouncement,
): Promise<AnnouncementView | null> {
  assertAdmin(actor);
  const { html } = renderMarkdown(input.bodyMarkdown);
  const cohort = input.cohortId
    ? await db.get<{ name: string } | undefined>(sql`select name from cohorts where id = ${input.cohortId}`)
    : undefined;
  if (input.cohortId && !cohort) return null;
  try {
    const [inserted] = await db.batch([
      batchable(
        db,
        db.run(sql`
        insert into announcements (cohort_id, author_id, title, body_markdown, body_html)
        select ${input.cohortId}, ${actor.id}, ${input.title}, ${input.bodyMarkdown}, ${html}
        where ${input.cohortId} is null or exists (select 1 from cohorts where id = ${input.cohortId})
        returning id, created_at as createdAt`),
      ),
      // Right after the insert: changes() and last_insert_rowid() describe it, so a cohort
      // deleted in the meantime leaves no target and the batch writes nothing.
      auditStatement(db, actor, {
        action: "announcement.create",
        targetType: "announcement",
        targetId: auditTarget(sql`select id from announcements where changes() = 1 and id = last_insert_rowid()`),
        summary: `Announced “${input.title}” to ${cohort ? cohort.name : "everyone"}`,
      }),
    ]);
    const row = inserted.results[0] as { id: number; createdAt: number };
    return {
      id: row.id,
      cohortId: input.cohortId,
      cohortName: cohort?.name ?? null,
      title: input.title,
      html,
      authorName: actor.name,
      createdAt: row.createdAt,
    };
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return null;
    throw error;
  }
}

/** One page of the viewer's announcements, newest first; `before` is the last id of the previous page. */
export async function listAnnouncements(
  db: Database,
  viewer: CurrentUser,
  options: { before?: number; limit?: number } = {},
): Promise<{ announcements: AnnouncementView[]; hasMore: boolean }> {
  const limit = options.limit ?? ANNOUNCEMENTS_PAGE_SIZE;
  const rows = await db.all<AnnouncementView>(sql`${SELECT_VIEW}
    where ${visibleToSql(viewer)} ${options.before ? sql`and a.id < ${options.before}` : sql``}
    order by a.id desc limit ${limit + 1}`);
  return { announcements: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * What a client missed since `afterId`, oldest first (the newest CATCH_UP_LIMIT of them),
 * with the viewer's unread count.
 */
export async function announcementsAfter(
  db: Database,
  viewer: CurrentUser,
  afterId: number,
): Promise<{ announcements: AnnouncementView[]; unread: number }> {
  const [rows, summary] = await Promise.all([
    db.all<AnnouncementView>(sql`${SELECT_VIEW}
      where ${visibleToSql(viewer)} and a.id > ${afterId}
      order by a.id desc limit ${CATCH_UP_LIMIT}`),
    announcementSummary(db, viewer),
  ]);
  return { announcements: rows.reverse(), unread: summary.unread };
}

/**
 * Unread count (one's own posts are never unread) and the newest visible id, in one
 * statement: the header badge on every page.
 */
/** Unread count and newest id for the viewer, as a builder so the header can batch it. */
export function announcementSummaryQuery(db: Database, viewer: CurrentUser) {
  return db.select({
    unread: sql<number>`unread`.mapWith(Number),
    latestId: sql<number>`latest_id`.mapWith(Number),
  }).from(sql`(
      select count(case when a.id > coalesce(r.last_read_id, 0) and a.author_id is not ${viewer.id} then 1 end) as unread,
        coalesce(max(a.id), 0) as latest_id
      from announcements a
      left join announcement_reads r on r.user_id = ${viewer.id}
      where ${visibleToSql(viewer)}) as summary`);
}

export async function announcementSummary(
  db: Database,
  viewer: CurrentUser,
): Promise<{ unread: number; latestId: number }> {
  const [row] = await announcementSummaryQuery(db, viewer);
  return row ?? { unread: 0, latestId: 0 };
}

/**
 * Marks everything up to `upTo` as read. The mark only moves forward, and never past the
 * newest existing announcement (so a large number cannot hide future ones).
 */
export async function markAnnouncementsRead(db: Database, viewer: CurrentUser, upTo: number) {
  await db.run(sql`
    insert into announcement_reads (user_id, last_read_id)
    values (${viewer.id}, min(${upTo}, (select coalesce(max(id), 0) from announcements)))
    on conflict (user_id) do update set
      last_read_id = max(announcement_reads.last_read_id, excluded.last_read_id),
      updated_at = unixepoch()`);
}
