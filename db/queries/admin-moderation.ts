import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias, type AnySQLiteColumn, type SelectedFields } from "drizzle-orm/sqlite-core";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { discussionPosts, discussionReports, discussionThreads, lectures, modules, users } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";
import { postForModeration, resolveReportsStatement } from "./discussions.ts";

// The moderation queues: posts students reported, posts admins hid, threads admins locked.
// Hiding, restoring and locking are the discussion's own moderation (discussions.ts), so
// they behave and are audited the same from the thread and from here.

/** Each list shows at most this many; the headings count them all. */
export const MODERATION_LIST_LIMIT = 50;

const seconds = (column: AnySQLiteColumn, name: string) => sql<number>`${column}`.mapWith(Number).as(name);

/** A post as the queues show it (aliased: inside db.batch, joined columns of one name would clash). */
const postColumns = {
  postId: sql<number>`${discussionPosts.id}`.mapWith(Number).as("post_id"),
  lectureId: sql<number>`${discussionPosts.lectureId}`.mapWith(Number).as("post_lecture_id"),
  isReply: sql<boolean>`${discussionPosts.parentId} is not null`.mapWith(Boolean).as("is_reply"),
  bodyHtml: sql<string>`${discussionPosts.bodyHtml}`.as("post_body_html"),
  postedAt: seconds(discussionPosts.createdAt, "posted_at"),
  hidden: sql<boolean>`${discussionPosts.hiddenAt} is not null`.mapWith(Boolean).as("post_hidden"),
  deleted: sql<boolean>`${discussionPosts.deletedAt} is not null`.mapWith(Boolean).as("post_deleted"),
  authorName: sql<string>`${users.name}`.as("author_name"),
  authorEmail: sql<string>`${users.email}`.as("author_email"),
  lectureTitle: sql<string>`${lectures.title}`.as("lecture_title"),
  lectureSlug: sql<string>`${lectures.slug}`.as("lecture_slug"),
  moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
  moduleTitle: sql<string>`${modules.title}`.as("module_title"),
  threadLocked: sql<boolean>`exists (select 1 from discussion_threads
    where discussion_threads.lecture_id = discussion_posts.lecture_id and discussion_threads.locked_at is not null)`
    .mapWith(Boolean)
    .as("thread_locked"),
};

const openReport = isNull(discussionReports.resolvedAt);
const firstReported = sql`min(${discussionReports.createdAt})`;

/**
 * The three queues and their counts in one round trip: reported posts (oldest open report
 * first, each with every open report), hidden posts and locked threads (newest first),
 * and how many project submissions await review.
 */
export async function getModerationQueues(db: Database, actor: CurrentUser) {
  assertAdmin(actor);
  const reporter = alias(users, "reporter");
  const hider = alias(users, "hider");
  const locker = alias(users, "locker");
  const shownReportedPosts = db
    .select({ postId: discussionReports.postId })
    .from(discussionReports)
    .where(openReport)
    .groupBy(discussionReports.postId)
    .orderBy(firstReported, discussionReports.postId)
    .limit(MODERATION_LIST_LIMIT);
  const posts = <Fields extends SelectedFields>(extra: Fields) =>
    db
      .select({ ...postColumns, ...extra })
      .from(discussionPosts)
      .innerJoin(users, eq(users.id, discussionPosts.userId))
      .innerJoin(lectures, eq(lectures.id, discussionPosts.lectureId))
      .innerJoin(modules, eq(modules.id, lectures.moduleId));

  const [countRows, reported, reports, hidden, locked] = await db.batch([
    db
      .select({
        reportedPosts: sql<number>`(select count(distinct post_id) from discussion_reports
          where resolved_at is null)`.mapWith(Number),
        hiddenPosts: sql<number>`(select count(*) from discussion_posts
          where hidden_at is not null and deleted_at is null)`.mapWith(Number),
        lockedThreads: sql<number>`(select count(*) from discussion_threads where locked_at is not null)`.mapWith(
          Number,
        ),
        awaitingReview: sql<number>`(select count(*) from project_submissions where status = 'submitted')`.mapWith(
          Number,
        ),
      })
      .from(sql`(select 1)`),
    posts({
      reportCount: sql<number>`count(${discussionReports.id})`.mapWith(Number).as("report_count"),
      firstReportedAt: sql<number>`${firstReported}`.mapWith(Number).as("first_reported_at"),
    })
      .innerJoin(discussionReports, and(eq(discussionReports.postId, discussionPosts.id), openReport))
      .groupBy(discussionPosts.id)
      .orderBy(firstReported, discussionPosts.id)
      .limit(MODERATION_LIST_LIMIT),
    db
      .select({
        id: discussionReports.id,
        postId: discussionReports.postId,
        reason: discussionReports.reason,
        reporterName: sql<string>`${reporter.name}`.as("reporter_name"),
        reportedAt: seconds(discussionReports.createdAt, "reported_at"),
      })
      .from(discussionReports)
      .innerJoin(reporter, eq(reporter.id, discussionReports.userId))
      .where(and(openReport, inArray(discussionReports.postId, shownReportedPosts)))
      .orderBy(asc(discussionReports.createdAt), asc(discussionReports.id)),
    posts({
      hiddenAt: seconds(discussionPosts.hiddenAt, "hidden_at_seconds"),
      hiddenByName: sql<string | null>`${hider.name}`.as("hidden_by_name"),
    })
      .leftJoin(hider, eq(hider.id, discussionPosts.hiddenBy))
      .where(and(isNotNull(discussionPosts.hiddenAt), isNull(discussionPosts.deletedAt)))
      .orderBy(desc(discussionPosts.hiddenAt), desc(discussionPosts.id))
      .limit(MODERATION_LIST_LIMIT),
    db
      .select({
        lectureId: discussionThreads.lectureId,
        lockedAt: seconds(discussionThreads.lockedAt, "locked_at_seconds"),
        lockedByName: sql<string | null>`${locker.name}`.as("locked_by_name"),
        lectureTitle: sql<string>`${lectures.title}`.as("lecture_title"),
        lectureSlug: sql<string>`${lectures.slug}`.as("lecture_slug"),
        moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
        moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      })
      .from(discussionThreads)
      .innerJoin(lectures, eq(lectures.id, discussionThreads.lectureId))
      .innerJoin(modules, eq(modules.id, lectures.moduleId))
      .leftJoin(locker, eq(locker.id, discussionThreads.lockedBy))
      .where(isNotNull(discussionThreads.lockedAt))
      .orderBy(desc(discussionThreads.lockedAt), desc(discussionThreads.lectureId))
      .limit(MODERATION_LIST_LIMIT),
  ]);

  const reportsByPost = new Map<number, typeof reports>();
  for (const report of reports) reportsByPost.set(report.postId, [...(reportsByPost.get(report.postId) ?? []), report]);
  return {
    counts: countRows[0]!,
    reported: reported.map((post) => ({ ...post, reports: reportsByPost.get(post.postId) ?? [] })),
    hidden,
    locked,
  };
}

export type ModerationQueues = Awaited<ReturnType<typeof getModerationQueues>>;

/**
 * Dismisses a post's open reports and leaves the post as it is, in one batch with the audit
 * entry. False (nothing written) when the post has no open report in that lecture.
 */
export async function dismissDiscussionReports(
  db: Database,
  actor: CurrentUser,
  input: { lectureId: number; postId: number },
): Promise<boolean> {
  assertAdmin(actor);
  const post = await postForModeration(db, input);
  if (!post) return false;
  try {
    await db.batch([
      auditStatement(db, actor, {
        action: "discussion.dismiss_reports",
        targetType: "discussion_post",
        targetId: auditTarget(sql`select post_id from discussion_reports
          where post_id = ${input.postId} and resolved_at is null limit 1`),
        summary: `Dismissed the reports on ${post.authorName}'s post in the discussion of “${post.lectureTitle}”`,
      }),
      resolveReportsStatement(db, input.postId),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}
